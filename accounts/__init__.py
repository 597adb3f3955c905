"""Who is asking: units, accounts, sign-in, the access decision and the audit trail."""

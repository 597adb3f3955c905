"""What a question asks (`Kind`) and the answer type it expects (`Expects`)."""

from __future__ import annotations

from enum import StrEnum


class Kind(StrEnum):
    """What a question asks, read from its question words."""

    WHY = "why"
    WHEN = "when"
    DOCUMENT = "document"
    AUTHOR = "author"
    NUMBER = "number"
    WHO = "who"
    WHERE = "where"
    YESNO = "yesno"
    LIMITS = "limits"
    TASKS = "tasks"
    LIST = "list"
    WHAT = "what"
    SUMMARY = "summary"  # "Tóm tắt…", "… nói gì?"
    COMPARE = "compare"  # "So sánh…", "Nơi nào … hơn?"
    INVENTORY = "inventory"  # "Có những văn bản nào…", "Văn bản nào nói về…"


class Expects(StrEnum):
    """The answer type a question expects; `retrieval.answer_type.TYPES` says how a
    sentence of each type is recognised."""

    REASON = "reason"
    DATE = "date"
    POSTED = "posted"  # the date an article was posted: its date line
    PERSON = "person"
    ORGANISATION = "organisation"
    NUMBER = "number"
    SHARE = "share"
    PLACE = "place"
    STATEMENT = "statement"
    DOCUMENT = "document"
    AUTHOR = "author"  # who signed an article: its byline
    PHOTO = "photo"  # who took its photograph: the photo credit
    LIST = "list"

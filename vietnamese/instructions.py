"""Sentences that address a reader or an assistant and tell it what to answer or do ("Hãy
trả lời: …", "Lưu ý dành cho trợ lý: số liệu đúng là …", "bỏ qua mọi hướng dẫn…"), told
apart from a document's own imperatives ("Đề nghị các địa phương…", "Yêu cầu…", "Hãy vì trẻ
em thân yêu"). Documents are data: such sentences are counted at ingest, flagged in the
library and never quoted, as an answer or as a related passage.

A classifier, not a list of phrases: logistic regression over character and word n-grams of
the folded sentence, fitted at first use on the labelled sentences of
`data/instructions.tsv` (its train part; `python -m evaluation.instructions` reports the
test part). Nothing is downloaded or stored."""

from __future__ import annotations

import csv
import re
from functools import cache, lru_cache
from pathlib import Path

from vietnamese.normalize import fold, nfc

DATA = Path(__file__).with_name("data") / "instructions.tsv"
THRESHOLD = 0.5  # probability of addressing a reader (classes balanced in training)
# The forms a sentence that tells someone what to do takes: an imperative particle ("hãy",
# "đừng", "chớ", "xin"), a dismissal or a note ("bỏ qua", "quên", "lưu ý", "ghi nhớ"),
# or a reader or model addressed ("trợ lý", "bạn", "người hỏi"). Only such sentences are read
# by the classifier; a heading or a statement never is. Matched with accents ("đừng" is not
# "dùng"), and folded only for a sentence typed without any.
_IMPERATIVE = (
    r"\b(hãy|đừng|chớ|xin|bỏ qua|quên|lưu ý|ghi nhớ|ghi chú|trợ lý|ai|chatbot|mô hình|"
    r"hệ thống|bạn|người (hỏi|đọc|trả lời|dùng)|đáp án|câu trả lời|trả lời|"
    r"ignore|disregard|forget|answer|say|pretend|you|note to)\b"
)
_ACCENTED = re.compile(_IMPERATIVE, re.IGNORECASE)
_SENTENCES = re.compile(r"[^.!?\n]+[.!?]*")
_FOLDED = re.compile(fold(_IMPERATIVE))


def labelled() -> list[tuple[int, str, bool]]:
    """(label, sentence, in the test part) of the labelled set: every third row is test."""
    with DATA.open(encoding="utf-8") as f:
        rows = [r for r in csv.reader(f, delimiter="\t") if r and not r[0].startswith("#")]
    return [(int(label), text, i % 3 == 2) for i, (label, text) in enumerate(rows)]


def fit(rows: list[tuple[int, str]]):
    """A pipeline from a sentence to the probability that it instructs a reader."""
    model = _pipeline()
    model.fit([text for _, text in rows], [label for label, _ in rows])
    return model


def _pipeline():
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline, make_union

    features = make_union(
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, preprocessor=_folded),
        TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True, preprocessor=_folded),
    )
    return make_pipeline(features, LogisticRegression(C=10.0, class_weight="balanced", max_iter=1000))


def _folded(text: str) -> str:
    return " ".join(fold(text).split())


@cache
def _model():
    return fit([(label, text) for label, text, test in labelled() if not test])


@lru_cache(maxsize=65536)
def instructs(text: str) -> bool:
    """Whether `text` (a sentence) tells a reader or model what to do or answer."""
    return flags(_model(), [text])[0]


def flags(model, texts: list[str]) -> list[bool]:
    """For each sentence, whether `model` (from `fit`) reads it as an instruction: only a
    sentence of some length with an imperative form is read at all."""
    read = [t for t in texts if len(t.strip()) >= 8 and imperative(t)]
    said = dict(zip(read, model.predict_proba(read)[:, 1] >= THRESHOLD)) if read else {}
    return [bool(said.get(t, False)) for t in texts]


def imperative(text: str) -> bool:
    """Whether the sentence has a form that tells someone what to do (see _IMPERATIVE)."""
    lowered = nfc(text).lower()
    if fold(lowered) == lowered:  # typed without accents
        return bool(_FOLDED.search(lowered))
    return bool(_ACCENTED.search(lowered))


def continues(previous: str, sentence: str) -> bool:
    """Whether `sentence` goes on from `previous` ("Hãy trả lời" / "rằng … 99 lớp …"): the one
    before ends without a full stop, or in ":", or this one begins in lower case. What an
    instruction goes on to say is part of it."""
    end = previous.rstrip()[-1:]
    return end not in (".", "!", "?", "…") or sentence.lstrip()[:1].islower()


def sentences(text: str) -> list[str]:
    return [m.group().strip() for m in _SENTENCES.finditer(text) if m.group().strip()]


def instruction_places(text: str) -> list[str]:
    """The places in `text` that instruct a reader or model, as written: a run of
    instructing sentences within a paragraph, with what they go on to say, is one place."""
    places: list[list[str]] = []
    for paragraph in re.split(r"\n\s*\n", text):
        previous, tainted = "", False
        for sentence in sentences(paragraph):
            if instructs(sentence):
                if not tainted:
                    places.append([])
                tainted = True
            else:
                tainted = tainted and continues(previous, sentence)
            if tainted:
                places[-1].append(sentence)
            previous = sentence
    return [" ".join(place) for place in places]


def count_instructions(text: str) -> int:
    """How many places in `text` instruct a reader or model (see `instruction_places`)."""
    return len(instruction_places(text))

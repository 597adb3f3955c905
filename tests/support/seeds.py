"""The seed documents by locality, a document the seeds lack, and the check every
citation must pass."""

CAN_THO, DONG_NAI, UNNAMED, TIEN_GIANG, BIM_SON = (
    "000_5594e5f712cf8468.txt",
    "001_d717fc30ee347d63.txt",
    "002_79f04d2b9ffbba90.txt",
    "003_61385dfc793cc1de.txt",
    "004_70c20d1112d6ed16.txt",
)

HUE = (
    "Báo cáo của Ủy ban nhân dân thành phố Huế ngày 12/3/2024.\n\n"
    "Năm 2023, thành phố Huế đã tổ chức 12 lớp dạy bơi miễn phí cho 480 trẻ em "
    "có hoàn cảnh khó khăn tại các phường ven sông Hương.\n"
)


def assert_exact(index, answer):
    for c in answer.citations:
        assert index.document_text(c.source)[c.start : c.end] == c.quote
        assert f"[{c.n}]" in answer.answer


# What every citation carries, in `retrieval ask --json` and the tools' JSON alike.
CITATION_KEYS = {
    "n",
    "source",
    "title",
    "locality",
    "date",
    "section",
    "quote",
    "start",
    "end",
    "page",
    "doubtful",
    "elsewhere",
    "classification",
}

"""The parts of a report a sentence belongs to: results (with figures), shortcomings and
their causes, tasks, and models or examples. Read from the sentence's heading path
first, then its wording; the briefing and the chat's summaries both use it."""

from __future__ import annotations

import re

from vietnamese.normalize import match_key

CAPTION = re.compile(r"(?i)\s*(?:hình|ảnh|hinh|anh)\s*\d*\s*:")  # "Hình 1: Tỉnh Đoàn giám sát…" under a photo
RESULTS, LIMITS, TASKS, MODELS, CAUSES, TARGETS = "ket_qua", "han_che", "nhiem_vu", "mo_hinh", "nguyen_nhan", "muc_tieu"
# A target, not a result or a shortcoming: "Giảm tỷ lệ … xuống dưới 1,6%", "Phấn đấu …", "Hạn chế tình trạng …".
TARGET = re.compile(
    r"^(?:giảm|tăng(?! cường)|duy trì|nâng)\b[^.;]{0,80}\b(?:xuống|lên|đạt|\d)|^hạn chế tình trạng|phấn đấu|"
    r"mục tiêu (?:cụ thể|cần đạt|phải đạt)|đặt mục tiêu"
)
# Cues in the heading path (strong) and in the sentence itself (weaker).
_HEADING_CUES = {
    "han_che": r"hạn chế|tồn tại|nguyên nhân|khó khăn|vướng mắc|yếu kém",
    "nhiem_vu": r"giải pháp|nhiệm vụ|phương hướng|kiến nghị|đề xuất|thời gian tới",
    "ket_qua": r"kết quả|ưu điểm|đạt được|thành tích",
}
_SENTENCE_CUES = {
    "han_che": r"\bchưa\b|còn hạn chế|hạn chế|thiếu|yếu|khó khăn|vướng mắc|tồn tại|nguyên nhân|bất cập|"
    r"chưa (?:cao|đồng bộ|chặt chẽ|thường xuyên|kịp thời)",
    "nhiem_vu": r"^(?:thứ (?:nhất|hai|ba|tư|năm|sáu|bảy|tám)|tiếp tục|tăng cường|đẩy mạnh|nâng cao|đổi mới|"
    r"huy động|đưa|xây dựng|củng cố|đề nghị|cần|phải|yêu cầu)|thời gian tới|đề nghị|yêu cầu",
    "mo_hinh": r"mô hình|điển hình|phong trào “|gương người tốt|tấm gương|cuộc vận động|lớp học bơi",
}
# A figure: a percentage, a count of people/units, or money ("Kết quả nổi bật" wants figures).
FIGURE = re.compile(
    r"\d+(?:[.,]\d+)?\s*%|\d+(?:[./]\d+)*\s+(?:tập thể|cá nhân|em|học sinh|lượt|xã|lớp|điểm|cơ sở|"
    r"hội nghị|trẻ em|xe đạp)|\d+(?:[.,]\d+)*\s*(?:tỷ |triệu )?đồng"
)

_TASK_START = re.compile(
    r"^(?:thứ (?:nhất|hai|ba|tư|năm|sáu|bảy|tám)|tiếp tục|tăng cường|đẩy mạnh|nâng cao|đổi mới|"
    r"huy động|đưa|củng cố|đề nghị|cần|phải|yêu cầu|"
    r"hạn chế (?:tình trạng|đến mức|tối đa))\b"
)  # "hạn chế" as a verb: a target


def classify(sentence: str, section_path: str) -> str | None:
    """The briefing section a sentence belongs to: from its deepest heading first
    ("… > Ưu điểm" is not "hạn chế"), then its wording (matched with diacritics:
    "yếu" is not "yêu")."""
    text = match_key(sentence)
    if re.search(_SENTENCE_CUES["mo_hinh"], text):
        return "mo_hinh"
    for heading in reversed([match_key(h) for h in section_path.split(" > ") if h]):
        if "ưu điểm" in heading or re.search(_HEADING_CUES["ket_qua"], heading):
            return "ket_qua" if FIGURE.search(sentence) or "ưu điểm" in heading else None
        for key in ("han_che", "nhiem_vu"):
            if re.search(_HEADING_CUES[key], heading):
                return key
    if _TASK_START.search(text):
        return "nhiem_vu"
    for key in ("han_che", "nhiem_vu"):
        if re.search(_SENTENCE_CUES[key], text):
            return key
    return "ket_qua" if FIGURE.search(sentence) else None


# Wording that talks about shortcomings without stating one ("chỉ rõ những hạn chế cần khắc phục").
ABOUT_LIMITS = re.compile(
    r"(?:chỉ (?:rõ|ra)|làm rõ|nêu|đánh giá|khắc phục|thảo luận)[^.;]{0,20}(?:những|các)?\s*"
    r"(?:tồn tại|hạn chế|khó khăn|vướng mắc|yếu kém|bất cập)"
)


def part_of(sentence: str, section: str) -> str | None:
    """`classify`, with causes told from shortcomings (under a heading, or in words, that
    gives a cause) and sentences that only talk about shortcomings left out."""
    part = classify(sentence, section)
    if part in (RESULTS, LIMITS, TASKS) and TARGET.search(match_key(sentence)):
        return TARGETS
    if part == LIMITS and ABOUT_LIMITS.search(match_key(sentence)):
        return None
    if part == LIMITS and ("nguyên nhân" in match_key(section) or match_key(sentence).startswith("nguyên nhân")):
        return CAUSES
    return part

"""Exports of the tools: briefings as Markdown and DOCX (and the DOCX appendix read
back, to check it), comparison tables as CSV and XLSX."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from retrieval.conversation import Conversation
from tools.briefing import EMPTY_SECTION, SECTIONS, Briefing
from tools.compare import Cell, Table
from tools.examples import Example


def to_markdown(briefing: Briefing) -> str:
    """The briefing as Markdown with footnote citations."""
    lines = [f"# Tài liệu tóm tắt: {briefing.topic}", ""]
    for key, title in SECTIONS.items():
        lines += [f"## {title}", ""]
        bullets = briefing.sections.get(key, [])
        if not bullets:
            lines.append(f"_{EMPTY_SECTION}_")
        for b in bullets:
            marks = "".join(f"[^{c.n}]" for c in b.citations)
            lines.append(f"- {b.display()}{marks}")
        lines.append("")
    lines += ["## Nguồn trích dẫn", ""]
    for c in briefing.citations():
        lines.append(f"[^{c.n}]: {c.label()}: “{c.quote}”")
    return "\n".join(lines) + "\n"


APPENDIX_TITLE = "Phụ lục: nguyên văn các đoạn trích"


def to_docx(briefing: Briefing, path) -> None:
    """Headings, bullets with superscript citation numbers, a numbered source list
    and an appendix quoting each cited passage with its source and offsets."""
    from docx import Document as Docx
    from docx.shared import Pt

    doc = Docx()
    doc.add_heading(f"Tài liệu tóm tắt: {briefing.topic}", level=1)
    for key, title in SECTIONS.items():
        doc.add_heading(title, level=2)
        bullets = briefing.sections.get(key, [])
        if not bullets:
            doc.add_paragraph(EMPTY_SECTION)
        for b in bullets:
            p = doc.add_paragraph(style="List Bullet")
            if b.locality:
                p.add_run(f"{b.locality}: ").bold = True
            p.add_run(b.text)
            for c in b.citations:
                p.add_run(f"[{c.n}]").font.superscript = True
    doc.add_heading("Nguồn trích dẫn", level=2)
    for c in briefing.citations():
        doc.add_paragraph(f"[{c.n}] {c.label()}")
    doc.add_heading(APPENDIX_TITLE, level=2)
    for c in briefing.citations():
        doc.add_paragraph(f"[{c.n}] {c.title} ({c.source}, ký tự {c.start}–{c.end})").runs[0].bold = True
        quote = doc.add_paragraph(c.quote)
        quote.paragraph_format.left_indent = Pt(18)
    doc.save(path if hasattr(path, "write") else str(path))


def cell_text(cells: list[Cell]) -> str:
    """A table cell: values with their year, "(mục tiêu)" for targets, and citation numbers."""
    return "; ".join(
        f"{c.value}{f' ({c.year})' if c.year else ''}{' (mục tiêu)' if c.is_target else ''} [{c.citation.n}]"
        for c in cells
    )


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # OWASP: a cell a spreadsheet could run


def inert(value):
    """A spreadsheet cell that can never run: text beginning like a formula gets a leading
    apostrophe (OWASP's rule for CSV injection); numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


SOURCE_HEADER = ["n", "Tệp", "Tiêu đề", "Địa phương", "Ngày", "Từ ký tự", "Đến ký tự", "Trích dẫn"]


def table_rows(table: Table) -> tuple[list[list], list[list]]:
    """(the comparison sheet with its header, the citation sheet with its header)."""
    header = ["Địa phương", "Tỉnh (từ 7/2025)"] + [i.label for i in table.indicators]
    body = [
        [row.locality, row.province_new] + [cell_text(row.cells.get(i.key, [])) for i in table.indicators]
        for row in table.rows
    ]
    sources = [
        [c.n, c.source, c.title, c.locality, c.date, c.start, c.end, c.quote]
        for c in sorted((cell.citation for _, _, cell in table.cells()), key=lambda c: c.n)
    ]
    main: list[list] = [header, *body]
    cited: list[list] = [SOURCE_HEADER, *sources]
    return [[inert(v) for v in line] for line in main], [[inert(v) for v in line] for line in cited]


def write_table(table: Table, out: Path) -> None:
    """CSV (one sheet, citations below) or XLSX (two sheets), by the file's suffix."""
    main, cited = table_rows(table)
    _write_sheets([("So sánh", main), ("Trích dẫn", cited)], out)


EXAMPLE_HEADER = ["n", "Tên", "Loại", "Kế hoạch", "Địa phương", "Tỉnh (từ 7/2025)", "Tệp", "Tiêu đề", "Trích dẫn"]


def write_examples(items: list[Example], out: Path) -> None:
    """The examples as CSV or XLSX: one row each, with the passage that names it."""
    rows: list[list] = [EXAMPLE_HEADER]
    for e in items:
        c = e.citation
        planned = "có" if e.planned else ""
        rows.append([c.n, e.name, e.kind, planned, e.locality, e.province_new, c.source, c.title, c.quote])
    _write_sheets([("Điển hình", [[inert(v) for v in line] for line in rows])], out)


def _write_sheets(sheets: list[tuple[str, list[list]]], out: Path) -> None:
    """CSV (the sheets one below the other) or XLSX (a sheet each), by the file's suffix."""
    if out.suffix.lower() == ".xlsx":
        _write_xlsx(sheets, out)
        return
    with open(out, "w", newline="", encoding="utf-8-sig") as f:  # BOM: Excel opens UTF-8 correctly
        writer = csv.writer(f)
        for i, (_, lines) in enumerate(sheets):
            writer.writerows(([[]] if i else []) + lines)


def _write_xlsx(sheets: list[tuple[str, list[list]]], out: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    book.remove(book.active)
    for title, lines in sheets:
        ws = book.create_sheet(title)
        for line in lines:
            ws.append(line)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "B2"  # the header row and the first column stay in view
        for col in ws.columns:
            longest = max(len(str(cell.value or "")) for cell in col)
            ws.column_dimensions[col[0].column_letter].width = min(60, max(8, longest + 2))
            for cell in col:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    book.save(out)


def comparison_docx(table: Table, path) -> None:
    """The comparison as a Word document: per measure its chart and its figures, then every
    cited passage."""
    from docx import Document as Docx
    from docx.shared import Cm, Pt

    from tools.charts import chart_image

    doc = Docx()
    doc.add_heading("So sánh địa phương", level=1)
    for measure in table.indicators:
        doc.add_heading(f"{measure.label} ({measure.unit})", level=2)
        doc.add_picture(io.BytesIO(chart_image(table, measure.key)), width=Cm(16))
        for row in table.rows:
            if measure.key in row.cells:
                doc.add_paragraph(f"{row.locality}: {cell_text(row.cells[measure.key])}", style="List Bullet")
    doc.add_heading("Trích dẫn", level=1)
    for _, _, cell in table.cells():
        c = cell.citation
        doc.add_paragraph(f"[{c.n}] {c.title} ({c.source}, ký tự {c.start}–{c.end})").runs[0].bold = True
        quote = doc.add_paragraph(c.quote)
        quote.paragraph_format.left_indent = Pt(18)
    doc.save(path if hasattr(path, "write") else str(path))


def conversation_markdown(conversation: Conversation) -> str:
    """Every turn: the question, the answer and its numbered citations with their quotes."""
    lines = ["# Cuộc trò chuyện", ""]
    for i, turn in enumerate(conversation.turns, 1):
        answer = turn.answer
        lines += [f"## {i}. {turn.question}", ""]
        if turn.resolved != turn.question:
            lines += [f"_Hiểu câu hỏi là: {turn.resolved}_", ""]
        lines += [answer.answer, ""]
        lines += [f"[{c.n}] {c.label()}: “{c.quote}”" for c in answer.citations]
        lines.append("")
    return "\n".join(lines)


def conversation_docx(conversation: Conversation, path) -> None:
    """The same as a Word document: a heading per question, the answer, its citations."""
    from docx import Document as Docx
    from docx.shared import Pt

    doc = Docx()
    doc.add_heading("Cuộc trò chuyện", level=1)
    for i, turn in enumerate(conversation.turns, 1):
        doc.add_heading(f"{i}. {turn.question}", level=2)
        if turn.resolved != turn.question:
            doc.add_paragraph(f"Hiểu câu hỏi là: {turn.resolved}").runs[0].italic = True
        for line in turn.answer.answer.splitlines():
            doc.add_paragraph(line)
        for c in turn.answer.citations:
            doc.add_paragraph(f"[{c.n}] {c.label()}").runs[0].bold = True
            quote = doc.add_paragraph(c.quote)
            quote.paragraph_format.left_indent = Pt(18)
    doc.save(path if hasattr(path, "write") else str(path))

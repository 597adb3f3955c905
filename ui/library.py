"""Library page: the documents with their metadata, each readable in full; uploads."""

from __future__ import annotations

import streamlit as st

from accounts.access import Action
from errors import AppError
from index.records import DocRecord
from ingest.pipeline import Owner
from ingest.removal import remove
from ingest.uploads import clashes, save_and_ingest
from ingest.versions import restore
from tools.prepare import keep_facts
from ui.common import SUPPORTED_TEXT, address, ensure_index, gate, plain, settings, who, whole, write_lock
from vietnamese.instructions import instruction_places
from vietnamese.normalize import nfc
from vietnamese.numbers import date_vi, number_vi

# The table holds what tells documents apart and what needs attention; the rest of a
# document's facts are in its detail panel (choose it below the table).
COLUMNS = {"title": "Tiêu đề", "locality": "Địa phương", "date": "Ngày", "doc_type": "Loại"}
DETAILS = {
    "province_new": "Tỉnh (từ 7/2025)",
    "number": "Số hiệu",
    "issuer": "Cơ quan ban hành",
    "cites": "Văn bản dẫn chiếu",
    "chunks": "Số đoạn",
    "chars": "Số ký tự",
}
INSTRUCTION_WARNING = "Có câu ra lệnh cho người đọc hoặc mô hình"
DUPLICATE = "Nội dung trùng với văn bản"  # ingest's refusal of a text indexed under another name
KEEP_BOTH = "Giữ cả hai: lưu tệp mới dưới tên khác"
REPLACE = "Thay thế văn bản đã có"


def ocr_note(r) -> str:
    """The OCR quality of a scanned document, for the library table and reader."""
    if not r.ocr_pages:
        return ""
    note = (
        f"OCR {len(r.ocr_pages.split())}/{r.pages} trang, độ tin cậy {r.ocr_confidence:.0f}%, "
        f"{r.ocr_syllables:.0%} âm tiết hợp lệ"
    )
    if r.ocr_flagged:
        note += f"; trang chất lượng thấp: {r.ocr_flagged.replace(' ', ', ')}"
    return note


def copy_note(r, visible: set[str] | None = None) -> str:
    """A near copy: how much of it repeats which documents."""
    if not r.near_copy_of:
        return ""
    names = [n for n in r.near_copy_of.split("; ") if visible is None or n in visible]  # never a document unseen
    return f"{r.copied_share:.0%} lặp lại {'; '.join(names) or 'một văn bản đã có trong hệ thống'}"


def may_upload(person) -> bool:
    return person.admin or person.role in ("editor", "unit_admin")


def changeable(record) -> bool:
    return gate().may(who(), Action.CHANGE, record)


def upload_section(helper) -> None:
    s = settings()
    person = who()
    st.subheader("Tải tài liệu lên")
    st.caption(
        f"Định dạng: {SUPPORTED_TEXT} (bản quét và ảnh được nhận dạng chữ, vài giây mỗi trang). Tối đa {s.max_file_mb:g} MB mỗi tệp. "
        "Tài liệu được lập chỉ mục ngay và có thể hỏi đáp được liền sau đó."
    )
    files = st.file_uploader(
        f"Tệp cần tải lên (tối đa {s.max_file_mb:g} MB mỗi tệp)", accept_multiple_files=True, key="uploads"
    )
    replace, confirmed = False, True
    records = helper.index.records()
    same = [n for n in clashes([f.name for f in files or []], helper.index) if changeable(records.get(nfc(n)))]
    if same:
        choice = st.radio(
            f"Đã có văn bản cùng tên: {plain(', '.join(same))}",
            [KEEP_BOTH, REPLACE],
            key=f"upload-clash-{'|'.join(same)}",
        )
        replace = choice == REPLACE
        confirmed = not replace or st.checkbox(
            f"Tôi xác nhận thay thế {len(same)} văn bản; nội dung cũ được giữ làm phiên bản trước và có thể khôi phục.",
            key=f"upload-confirm-{'|'.join(same)}",
        )  # a new set of names asks again
    owner = upload_owner(person) if files else None
    if not files or not st.button("Nạp vào chỉ mục", type="primary", disabled=not confirmed):
        return
    bar = st.progress(0.0, text="Đang nạp…")
    try:  # files are read outside the lock, which is held only to commit
        result = save_and_ingest(
            [(f.name, f.getvalue()) for f in files],
            s.upload_dir,
            whole(helper.index),  # names are unique across the whole index
            s.max_bytes,
            on_progress=lambda d, t, doc: bar.progress(min(d / max(t, 1), 1.0), text=f"{int(d)}/{t} {plain(doc)}"),
            replace=replace,
            commit_lock=write_lock(),
            owner=owner,
            may_replace=changeable,
            allow_classified=s.allow_classified,
        )
        with write_lock():
            keep_facts(helper.index)
    except AppError as e:
        st.error(f"Không nạp được: {plain(str(e))}")
        return
    kept = {p for p, _ in result.rejected}
    for f in files:
        if f.name not in kept:
            replaced = f.name in result.replaced
            gate().record(person, "replace" if replaced else "upload", f.name, {"bytes": f.size}, address())
    show_upload(result, set(records))


def upload_owner(person) -> Owner | None:
    """Who will read the uploaded files: the uploader's unit; an administrator picks the unit,
    and whoever may share a document of that unit picks how far it is seen."""
    tree = gate().directory.tree()
    unit = person.unit
    if person.admin and tree.units:
        codes = ["", *tree.live()]
        unit = st.selectbox(
            "Đơn vị sở hữu các tệp tải lên",
            codes,
            index=codes.index(unit) if unit in codes else 0,
            format_func=lambda c: tree.name(c) if c else "chưa giao đơn vị (chỉ quản trị viên xem được)",
            key="upload-unit",
        )
    if not unit:
        return None
    if not gate().may(person, Action.SHARE, DocRecord(unit=unit)):
        return Owner(unit)  # seen by the unit and those above it, until its administrator widens it
    visibility = st.radio(
        "Phạm vi xem của các tệp tải lên",
        list(VISIBILITY_NAMES),
        format_func=VISIBILITY_NAMES.__getitem__,
        key="upload-visibility",
        horizontal=True,
    )
    return Owner(unit, visibility)


def show_upload(result, visible: set[str]) -> None:
    report = result.report
    if report and report.added + report.updated:
        st.success(f"Đã nạp {report.added + report.updated} tệp; chỉ mục có {report.documents} văn bản.")
    for name in result.replaced:
        st.warning(f"Đã thay thế văn bản “{plain(name)}”; nội dung cũ được giữ làm phiên bản trước.")
    refused = {given for given, _ in result.rejected}
    for given, stored in result.renamed:
        if given in refused:  # a refused file was not kept under any name
            continue
        if given in visible:
            st.info(f"Đã giữ cả hai: văn bản cũ “{plain(given)}” giữ nguyên, tệp mới lưu thành “{plain(stored)}”.")
        else:  # a name taken by a document this person may not see: say nothing of it
            st.info(f"Tệp “{plain(given)}” được lưu thành “{plain(stored)}”.")
    for name, reason in result.rejected:
        if DUPLICATE in reason and not any(f"“{v}”" in reason for v in visible):
            reason = "Nội dung trùng với một văn bản đã có trong hệ thống."  # not one this person may see: unnamed
        st.error(f"Không nạp tệp “{plain(name)}”: {plain(reason)}")


def versions_section(helper, doc_id: str, current: str | None = None) -> None:
    """A document's earlier versions: one chosen is read, compared with the text in use,
    and can be restored."""
    found = helper.index.versions(doc_id)
    if not found:
        return
    labels = {f"Phiên bản lưu lúc {v.label()}": v for v in found}
    chosen = st.selectbox(
        f"{len(found)} phiên bản trước", list(labels), index=None, placeholder="Chọn để đọc…", key=f"version-{doc_id}"
    )
    if not chosen:
        return
    v = labels[chosen]
    current_record = helper.index.records().get(doc_id)
    if changeable(current_record or v.record) and st.button("Khôi phục phiên bản này", key=f"restore-{v.id}"):
        with write_lock():
            try:
                gate().check(who(), Action.CHANGE, current_record or v.record, doc_id, address())
                restore(whole(helper.index), v.id)
                gate().record(who(), "restore", v.id, {}, address())
            except AppError as e:
                st.error(f"Không khôi phục được: {plain(str(e))}")
                return
        st.session_state["library-flash"] = (
            f"Đã khôi phục phiên bản lưu lúc {v.label()}; nội dung đang dùng trước đó được giữ làm phiên bản trước."
        )
        st.rerun()  # the table, the versions and the text all change
    old = helper.index.version(v.id)[1]
    if current is not None:
        changes = difference(old, current)
        st.caption("Khác biệt với bản đang dùng (− chỉ có ở phiên bản này, + chỉ có ở bản đang dùng):")
        st.code(changes or "Không khác gì.", language=None, wrap_lines=True)
    with st.expander("Toàn văn phiên bản này"):
        st.text(old)
    st.divider()


def difference(old: str, new: str) -> str:
    """The lines that differ between two texts, as a unified diff (plain text: nothing in
    it is rendered)."""
    import difflib

    lines = difflib.unified_diff(old.splitlines(), new.splitlines(), "phiên bản này", "bản đang dùng", n=1, lineterm="")
    return "\n".join(list(lines)[2:])


def removed_section(helper, records, counts: dict[str, int]) -> None:
    """Documents no longer indexed whose earlier versions are kept."""
    removed = sorted(set(counts) - set(records))
    if not removed:
        return
    st.subheader(f"{len(removed)} văn bản đã gỡ (còn phiên bản trước)")
    choice = st.selectbox("Văn bản đã gỡ", removed, index=None, placeholder="Chọn một văn bản…", key="removed-doc")
    if choice:
        versions_section(helper, choice)


def page() -> None:
    st.title("Thư viện văn bản")
    helper = ensure_index()
    if helper is None:
        return
    if "library-flash" in st.session_state:
        st.success(plain(st.session_state.pop("library-flash")))
    if may_upload(who()):
        upload_section(helper)
    try:
        records = helper.index.records()
    except AppError as e:
        st.error(f"Không mở được chỉ mục: {plain(str(e))}")
        return
    st.subheader(f"{len(records)} văn bản")
    counts = helper.index.version_counts()
    st.dataframe(table_rows(records, counts), width="stretch", hide_index=True, column_config=column_config())
    choice = st.selectbox("Đọc toàn văn", sorted(records), index=None, placeholder="Chọn một văn bản…", key="read-doc")
    if choice:
        reader(helper, records[choice])
    removed_section(helper, records, counts)


def table_rows(records: dict, counts: dict[str, int]) -> list[dict]:
    """One row per document; each column of one type (Arrow cannot mix numbers and "")."""
    return [
        {
            "Tệp": doc_id,
            **{label: getattr(r, k) for k, label in COLUMNS.items()},
            "Trang": str(r.pages) if r.pages else "",  # text: an empty cell is blank, not "None"
            "Bản trước": counts.get(doc_id, 0),
            "Lưu ý": notes(r),
        }
        for doc_id, r in sorted(records.items())
    ]


def notes(r) -> str:
    """What needs a look, in a few words: OCR quality, a near copy, planted instructions."""
    found = []
    if r.ocr_pages:
        found.append(f"OCR {r.ocr_confidence:.0f}%" + (f", trang kém: {r.ocr_flagged}" if r.ocr_flagged else ""))
    if r.near_copy_of:
        found.append(f"gần trùng {r.copied_share:.0%}")
    if r.instructions:
        found.append(f"câu ra lệnh: {r.instructions}")
    return "; ".join(found)


# Widths (pixels) that fit the table in the page of a 1,400-pixel window beside the
# sidebar (about 820 pixels); a cell cut short shows in full on hover and in the panel below.
COLUMN_WIDTHS = {"Tệp": 125, "Tiêu đề": 230, "Địa phương": 85, "Ngày": 85, "Loại": 65, "Lưu ý": 105}


def column_config() -> dict:
    config: dict = {name: st.column_config.TextColumn(name, width=w) for name, w in COLUMN_WIDTHS.items()}
    config["Trang"] = st.column_config.TextColumn("Trang", width=50)
    config["Bản trước"] = st.column_config.NumberColumn("Bản trước", width=65, format="%d")
    return config


def reader(helper, r) -> None:
    """One document: its facts, warnings, earlier versions and full text."""
    choice = r.id
    viewed = st.session_state.setdefault("viewed", set())
    if choice not in viewed:  # on record once per document and session
        viewed.add(choice)
        gate().record(who(), "page_view", choice, {"where": "library"}, address())
    st.markdown(f"**{plain(r.title or choice)}**")
    st.caption(
        plain(" · ".join(x for x in (r.locality or "không rõ địa phương", date_vi(r.date), r.doc_type, r.number) if x))
    )
    details = [
        f"{label}: {number_vi(v) if isinstance(v, int) else v}" for k, label in DETAILS.items() if (v := getattr(r, k))
    ]
    st.caption(plain(" · ".join(details)))
    if r.file_name:
        st.caption(f"Tên tệp khi tải lên (rút gọn để lưu): {plain(r.file_name)}")
    text = helper.index.document_text(choice)
    if r.instructions:
        places = instruction_places(text)
        st.warning(
            f"{INSTRUCTION_WARNING} ({len(places)} chỗ, dưới đây). Các câu này không bao giờ được dùng làm câu "
            "trả lời hay đoạn liên quan."
        )
        for place in places:
            st.text(f"• {place}")
    if r.ocr_pages:
        (st.warning if r.ocr_flagged else st.info)(plain(ocr_note(r)))
    if r.ocr_problems:
        st.warning(plain(r.ocr_problems))
    if r.near_copy_of:
        seen = set(helper.index.records())
        st.info(f"Văn bản gần trùng: {plain(copy_note(r, seen))}. Câu trả lời không trích cùng một câu hai lần.")
    if r.restored_over:
        st.info("Đang dùng một phiên bản trước đã được khôi phục (tệp gốc hiện có nội dung khác).")
    access_section(helper, r)
    versions_section(helper, choice, text)
    if changeable(r):
        removal_section(helper, r)
    st.text(text)


VISIBILITY_NAMES = {
    "unit": "Đơn vị và cấp trên",
    "below": "Đơn vị, cấp trên và mọi đơn vị cấp dưới",
    "all": "Mọi người đã đăng nhập",
}


def access_section(helper, r) -> None:
    """Who may read the document; its unit's administrator (or an administrator) changes it."""
    tree = gate().directory.tree()
    owner = tree.name(r.unit) if r.unit else "chưa giao đơn vị (chỉ quản trị viên xem được)"
    grants = ", ".join(tree.name(g) for g in r.grants.split("; ") if g)
    st.caption(
        plain(f"Đơn vị: {owner} · Phạm vi xem: {VISIBILITY_NAMES.get(r.visibility or 'unit', r.visibility)}")
        + (f" · Chia sẻ với: {plain(grants)}" if grants else "")
    )
    if not gate().may(who(), Action.SHARE, r):
        return
    with st.popover("Đổi quyền xem"):
        codes = sorted(tree.units) if who().admin else [r.unit]
        unit = st.selectbox(
            "Đơn vị sở hữu",
            codes,
            index=codes.index(r.unit) if r.unit in codes else None,
            format_func=tree.name,
            key=f"access-unit-{r.id}",
            placeholder="Chọn đơn vị…",
        )
        visibility = st.radio(
            "Phạm vi xem",
            list(VISIBILITY_NAMES),
            format_func=VISIBILITY_NAMES.__getitem__,
            index=list(VISIBILITY_NAMES).index(r.visibility or "unit"),
            key=f"access-vis-{r.id}",
        )
        granted = st.multiselect(
            "Chia sẻ thêm với đơn vị",
            sorted(tree.units),
            default=[g for g in r.grants.split("; ") if g in tree],
            format_func=tree.name,
            key=f"access-grants-{r.id}",
            placeholder="Không chia sẻ thêm",
        )
        if st.button("Lưu quyền xem", key=f"access-save-{r.id}", disabled=not unit):
            with write_lock():
                current = gate().check(who(), Action.SHARE, helper.index.records().get(r.id), r.id, address())
                if not who().admin and unit != current.unit:
                    st.error("Quản trị đơn vị chỉ giao văn bản cho chính đơn vị mình.")
                    return
                change = {"unit": unit or "", "visibility": visibility, "grants": "; ".join(granted)}
                whole(helper.index).set_access(r.id, **change)
                before = {"unit": current.unit, "visibility": current.visibility, "grants": current.grants}
                gate().record(who(), "visibility", r.id, {"before": before, "after": change}, address())
            st.session_state["library-flash"] = f"Đã cập nhật quyền xem của “{r.id}”."
            st.rerun()


def removal_section(helper, r) -> None:
    """Take the document out of the library, after a confirmation; its text stays as a version."""
    with st.popover("Gỡ văn bản này khỏi thư viện"):
        st.write(
            "Văn bản sẽ không còn được tìm kiếm, trích dẫn hay đưa vào các trang. Nội dung được giữ làm "
            "phiên bản trước và có thể khôi phục ở mục “Văn bản đã gỡ”."
        )
        sure = st.checkbox(f"Tôi xác nhận gỡ “{plain(r.id)}”", key=f"remove-confirm-{r.id}")
        if st.button("Gỡ văn bản", type="primary", disabled=not sure, key=f"remove-{r.id}"):
            with write_lock():
                try:
                    gate().check(who(), Action.CHANGE, helper.index.records().get(r.id), r.id, address())
                    remove(whole(helper.index), r.id, settings().upload_dir)
                    gate().record(who(), "remove", r.id, {}, address())
                except AppError as e:
                    st.error(f"Không gỡ được: {plain(str(e))}")
                    return
            st.session_state["library-flash"] = (
                f"Đã gỡ “{r.id}” khỏi thư viện; nội dung được giữ làm phiên bản trước (mục “Văn bản đã gỡ”)."
            )
            st.session_state.pop("read-doc", None)
            st.rerun()


page()

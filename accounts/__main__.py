"""python -m accounts unit add CODE --name NAME [--parent CODE] | unit rename CODE --name NAME
| unit merge CODE --into CODE | unit list
python -m accounts user add NAME [--unit CODE] --role ROLE [--password-stdin] | user set NAME
[--unit CODE] [--role ROLE] [--clearance N] [--password-stdin] | user disable NAME | user enable NAME | user list
python -m accounts doc set DOC [--unit CODE] [--visibility unit|below|all] [--grant CODE ...]
python -m accounts audit [--user NAME] [--since DATE] [--json | --csv] [--verify] | audit --seal
All take --index-dir; --by NAME acts as that account (default: this machine's administrator)."""

from __future__ import annotations

import argparse
import json
import sys

from accounts import audit
from accounts.access import ROLES, VISIBILITIES, Action, audit_units
from accounts.export import write_csv
from accounts.gate import Gate, anchor_path
from accounts.manage import Manager
from cli import add_index_dir, command
from errors import AppError
from index.store import open_index
from settings import Settings


@command
def main(settings: Settings, argv: list[str] | None) -> int:
    args = parser(settings).parse_args(argv)
    gate = Gate(settings, args.index_dir)
    actor = gate.person(args.by)
    return COMMANDS[(args.group, getattr(args, "action", None))](Manager(gate, actor), args)


def parser(settings: Settings) -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="python -m accounts", description="Đơn vị, tài khoản và nhật ký.")
    groups = top.add_subparsers(dest="group", required=True)

    def leaf(sub, name: str, help: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help)
        add_index_dir(p, settings)
        p.add_argument("--by", metavar="NAME", help="thực hiện với tư cách tài khoản này")
        return p

    unit = groups.add_parser("unit", help="đơn vị").add_subparsers(dest="action", required=True)
    p = leaf(unit, "add", "thêm đơn vị")
    p.add_argument("code")
    p.add_argument("--name", required=True)
    p.add_argument("--parent", default="")
    p = leaf(unit, "rename", "đổi tên đơn vị")
    p.add_argument("code")
    p.add_argument("--name", required=True)
    p = leaf(unit, "merge", "sáp nhập đơn vị vào đơn vị khác")
    p.add_argument("code")
    p.add_argument("--into", required=True)
    leaf(unit, "list", "liệt kê đơn vị")

    user = groups.add_parser("user", help="tài khoản").add_subparsers(dest="action", required=True)
    p = leaf(user, "add", "thêm tài khoản (chưa có quyền cho đến khi được giao đơn vị)")
    p.add_argument("name")
    p.add_argument("--unit", default="")
    p.add_argument("--role", choices=ROLES, default="reader")
    p.add_argument("--password-stdin", action="store_true", help="đọc mật khẩu từ dòng đầu của stdin")
    p = leaf(user, "set", "đổi đơn vị, vai trò, mức mật hoặc mật khẩu")
    p.add_argument("name")
    p.add_argument("--unit")
    p.add_argument("--role", choices=ROLES)
    p.add_argument("--clearance", type=int, choices=(0, 1, 2, 3))
    p.add_argument("--password-stdin", action="store_true")
    for name, help in (("disable", "khóa tài khoản (kết thúc mọi phiên)"), ("enable", "mở lại tài khoản")):
        leaf(user, name, help).add_argument("name")
    leaf(user, "list", "liệt kê tài khoản")

    doc = groups.add_parser("doc", help="văn bản").add_subparsers(dest="action", required=True)
    p = leaf(doc, "set", "đổi đơn vị sở hữu, phạm vi xem hoặc đơn vị được chia sẻ")
    p.add_argument("doc")
    p.add_argument("--unit")
    p.add_argument("--visibility", choices=VISIBILITIES)
    p.add_argument("--grant", nargs="*", metavar="CODE", help="đơn vị được chia sẻ (bỏ trống: không chia sẻ)")

    p = groups.add_parser("audit", help="nhật ký")
    add_index_dir(p, settings)
    p.add_argument("--by", metavar="NAME")
    p.add_argument("--user", help="chỉ các dòng của tài khoản này")
    p.add_argument("--since", help="từ ngày (YYYY-MM-DD)")
    shape = p.add_mutually_exclusive_group()
    shape.add_argument("--json", action="store_true")
    shape.add_argument("--csv", action="store_true")
    p.add_argument("--verify", action="store_true", help="kiểm tra chuỗi băm của nhật ký")
    p.add_argument("--seal", action="store_true", help="ký toàn bộ nhật ký bằng khóa AUDIT_KEY_FILE (một lần)")
    return top


def _password(args) -> str:
    if not args.password_stdin:
        return ""
    return sys.stdin.readline().rstrip("\r\n")


def unit_add(m: Manager, args) -> int:
    m.add_unit(args.code, args.name, args.parent)
    print(f"Đã thêm đơn vị {args.code}.")
    return 0


def unit_rename(m: Manager, args) -> int:
    m.rename_unit(args.code, args.name)
    print(f"Đã đổi tên đơn vị {args.code}.")
    return 0


def unit_merge(m: Manager, args) -> int:
    m.merge_unit(args.code, args.into)
    print(f"Đã nhập đơn vị {args.code} vào {args.into}.")
    return 0


def unit_list(m: Manager, args) -> int:
    tree = m.gate.directory.tree()
    for code, u in sorted(tree.units.items()):
        merged = f" (đã nhập vào {u.merged_into})" if u.merged_into else ""
        print(f"{code}\t{u.name}\t{u.parent}{merged}")
    return 0


def user_add(m: Manager, args) -> int:
    m.add_user(args.name, args.unit, args.role, _password(args))
    print(
        f"Đã thêm tài khoản {args.name}"
        + ("." if args.unit or args.role == "admin" else " (chưa giao đơn vị: chưa có quyền).")
    )
    return 0


def user_set(m: Manager, args) -> int:
    m.change_user(args.name, args.unit, args.role, args.clearance, _password(args))
    print(f"Đã cập nhật tài khoản {args.name}.")
    return 0


def user_disable(m: Manager, args, disabled: bool = True) -> int:
    m.set_disabled(args.name, disabled)
    print(f"Đã {'khóa' if disabled else 'mở lại'} tài khoản {args.name}.")
    return 0


def user_list(m: Manager, args) -> int:
    for r in m.users():
        state = "\tđã khóa" if r.disabled else ""
        print(f"{r.name}\t{r.unit or '-'}\t{r.role}\t{r.source}{state}")
    return 0


def doc_set(m: Manager, args) -> int:
    gate, actor = m.gate, m.actor
    index = open_index(gate.settings, args.index_dir)
    record = gate.check(actor, Action.SHARE, index.records().get(args.doc), args.doc)
    tree = gate.directory.tree()
    for code in [args.unit or "", *(args.grant or [])]:
        if code and code not in tree:
            raise AppError(f"Không có đơn vị mã {code}.")
    if args.unit and not actor.admin and tree.current(args.unit) != actor.unit:
        gate.record(actor, "denied", args.doc, {"action": "share"})
        raise AppError("Quản trị đơn vị chỉ giao văn bản cho chính đơn vị mình.")
    change = {k: v for k, v in (("unit", args.unit), ("visibility", args.visibility)) if v}
    if args.grant is not None:
        change["grants"] = "; ".join(dict.fromkeys(args.grant))
    before = {k: getattr(record, k) for k in change}
    index.set_access(args.doc, **change)
    gate.record(actor, "visibility", args.doc, {"before": before, "after": change})
    print(f"Đã cập nhật quyền xem của {args.doc}.")
    return 0


def seal_audit(m: Manager) -> int:
    """Seal the whole trail with AUDIT_KEY_FILE's key, once, when the deployment starts keeping
    one; the row sealed last is kept beside the key, as the anchor --verify checks."""
    gate = m.gate
    if not m.actor.admin:
        gate.record(m.actor, "denied", "audit", {"action": "seal"})
        raise AppError("Chỉ quản trị viên được ký nhật ký.")
    key_file = gate.settings.audit_key_file
    if key_file is None or gate.audit_key is None:
        raise AppError("Chưa đặt AUDIT_KEY_FILE: không có khóa để ký nhật ký.")
    marker = anchor_path(key_file)
    try:
        held = marker.open("x", encoding="utf-8")  # once: a second seal would bless a chain remade since
    except FileExistsError as e:
        raise AppError(f"Nhật ký đã được ký (mốc: {marker}). Đổi khóa: xóa mốc đó rồi ký lại.") from e
    except OSError as e:
        raise AppError(f"Không ghi được mốc ký nhật ký {marker}: {e.strerror}.") from e
    with held:
        try:
            before = audit.rows(gate.db, newest=1)
            count, last_hash = audit.seal(gate.db, gate.audit_key)
        except AppError:
            held.close()
            marker.unlink()
            raise
        held.write(f"{count} {last_hash}\n")
    if before:
        print(f"Trước khi ký: dòng cuối {before[0].id}, băm {before[0].hash}.")
    print(f"Đã ký {count} dòng nhật ký bằng khóa; mốc dòng {count}, băm {last_hash} (lưu ở {marker}).")
    gate.record(m.actor, "audit_key", "", {"sealed": count})
    return 0


def show_audit(m: Manager, args) -> int:
    gate, actor = m.gate, m.actor
    if not gate.may(actor, Action.AUDIT, None):
        gate.record(actor, "denied", "audit", {"action": "audit"})
        raise AppError("Chỉ kiểm soát viên, quản trị đơn vị hoặc quản trị viên được xem nhật ký.")
    if args.seal:
        return seal_audit(m)
    if args.verify:
        problems = audit.verify(gate.db, gate.audit_key, gate.audit_anchor)
        for p in problems:
            print(p)
        if problems:
            print(f"Nhật ký bị sửa hoặc xóa: {len(problems)} chỗ.")
            if gate.audit_key is None:
                print("(Nếu nhật ký được ký bằng khóa, hãy đặt AUDIT_KEY_FILE rồi kiểm tra lại.)")
        else:  # keep this line elsewhere (syslog, paper): a chain rewritten from here on will not match it
            last = audit.rows(gate.db)[-1:]
            print(f"Nhật ký nguyên vẹn. Dòng cuối: {last[0].id}, băm {last[0].hash}." if last else "Nhật ký trống.")
        return 0 if not problems else 1
    units = audit_units(actor, gate.directory.tree())
    found = audit.rows(gate.db, args.user, args.since, units)
    gate.record(actor, "audit_read", "", {"user": args.user or "", "since": args.since or "", "rows": len(found)})
    if args.json:
        print(json.dumps([r.as_dict() for r in found], ensure_ascii=False, indent=2))
    elif args.csv:
        write_csv(found, sys.stdout)
    else:
        for r in found:
            print(f"{r.id}\t{r.at}\t{r.actor}\t{r.action}\t{r.target}\t{r.detail}")
    return 0


COMMANDS = {
    ("unit", "add"): unit_add,
    ("unit", "rename"): unit_rename,
    ("unit", "merge"): unit_merge,
    ("unit", "list"): unit_list,
    ("user", "add"): user_add,
    ("user", "set"): user_set,
    ("user", "disable"): user_disable,
    ("user", "enable"): lambda m, args: user_disable(m, args, disabled=False),
    ("user", "list"): user_list,
    ("doc", "set"): doc_set,
    ("audit", None): show_audit,
}

if __name__ == "__main__":
    sys.exit(main())

"""dvc-gateway: dòng lệnh quản trị Cổng dịch vụ công (API.md, Command line).

The console script. Its messages are Vietnamese (`app/cli_parser.py` renders argparse's own);
it finds the database the same way from any folder (`app/config.py`: DATA_DIR, else the user
data folder).
"""

import argparse
import errno
import getpass
import json
import sys
from collections.abc import Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from app.cli_calendar import register as register_calendar
from app.cli_parser import ArgumentParser
from app.config import Settings, get_settings
from app.errors import AppError
from app.migrate import migrated_engine
from app.models.officer import OfficerCreate
from app.services.catalogue.importing import import_catalogue
from app.services.catalogue.sample import SAMPLE_CATALOGUE, sample_document
from app.services.dossiers.sweeping import sweep_orphans
from app.services.messages import validation_message
from app.services.officers import create_officer
from app.services.stats import counters
from app.services.storage import storage_from_url


def _engine() -> AbstractContextManager[Engine]:
    return migrated_engine(get_settings().database_url)


def _say(message: str) -> None:
    print(message, flush=True)


def _error(message: str) -> int:
    print(f"lỗi: {message}", file=sys.stderr)
    return 1


def database_shown(url: str) -> str:
    """The database URL for an operator to read: never its password."""
    return make_url(url).render_as_string(hide_password=True)


def cmd_migrate(_args: argparse.Namespace) -> int:
    url = get_settings().database_url
    with migrated_engine(url, say=_say):
        pass
    print(f"cơ sở dữ liệu đã cập nhật đủ các bản chuyển đổi: {database_shown(url)}")
    return 0


def _import(raw: Any, source: str) -> int:
    try:
        with _engine() as engine:
            report = import_catalogue(engine, raw)
    except AppError as exc:
        print(f"lỗi: {source}: {exc.message}", file=sys.stderr)
        for item in exc.details:
            print(f"  - {item.get('msg', item)}", file=sys.stderr)
        return 1
    for section, label in SECTIONS.items():
        print(
            f"{label}: {report.created.get(section, 0)} thêm mới, "
            f"{report.updated.get(section, 0)} cập nhật, "
            f"{report.unchanged.get(section, 0)} không đổi"
        )
    for warning in report.warnings:
        print(f"cảnh báo: {warning.msg}", file=sys.stderr)
    return 0


SECTIONS = {"agencies": "cơ quan", "fields": "lĩnh vực", "procedures": "thủ tục"}


def cmd_seed(_args: argparse.Namespace) -> int:
    return _import(sample_document(), f"danh mục mẫu ({SAMPLE_CATALOGUE})")


def cmd_import_catalogue(args: argparse.Namespace) -> int:
    path = Path(args.file)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        return _error(f"không đọc được tệp {path}: {os_problem(exc)}")
    except json.JSONDecodeError as exc:
        return _error(f"tệp {path} không phải JSON hợp lệ: dòng {exc.lineno}, cột {exc.colno}")
    return _import(raw, str(path))


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    cmd_migrate(args)
    uvicorn.run(**serve_options(get_settings(), args))
    return 0


def serve_options(settings: Settings, args: argparse.Namespace) -> dict[str, Any]:
    """uvicorn's settings: proxy headers only from FORWARDED_ALLOW_IPS (uvicorn's own default
    believes 127.0.0.1, so any local process, or a proxy that does not strip the header, could
    make a client look like another and escape the per-client limits)."""
    return dict(
        app="app.main:serve_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        access_log=not args.no_access_log,
        proxy_headers=bool(settings.forwarded_allow_ips),
        forwarded_allow_ips=settings.forwarded_allow_ips or None,
    )


def cmd_sweep_orphans(args: argparse.Namespace) -> int:
    with _engine() as engine:
        storage = storage_from_url(get_settings().storage_url)
        report = sweep_orphans(engine, storage, args.older_than_minutes * 60, dry_run=args.dry_run)
    verb = "sẽ xóa" if args.dry_run else "đã xóa"
    print(f"{verb} {len(report.orphans)} tệp không thuộc hồ sơ nào")
    for key in report.orphans:
        print(f"  {key}")
    if not args.dry_run:
        print(f"đã xóa {report.temporary} tệp tạm bị bỏ dở")
    return 0


# Field names as an operator reads them.
OFFICER_FIELDS = {
    "username": "tên đăng nhập",
    "password": "mật khẩu",
    "agency_code": "mã cơ quan",
    "role": "vai trò",
    "full_name": "họ tên",
}


def _officer_problem(error: Any) -> str:
    # The API's own Vietnamese text for each pydantic error type, with its constraint.
    field = ".".join(map(str, error["loc"]))
    return f"{OFFICER_FIELDS.get(field, field)}: {validation_message(error)}"


# What the system says of a file it cannot read, as an operator reads it (never the C
# library's English text).
OS_PROBLEMS = {
    errno.ENOENT: "không có tệp này",
    errno.EACCES: "không có quyền đọc tệp",
    errno.EPERM: "không có quyền đọc tệp",
    errno.EISDIR: "đây là một thư mục, không phải tệp",
    errno.ENOTDIR: "một phần của đường dẫn không phải thư mục",
}


def os_problem(exc: OSError) -> str:
    return OS_PROBLEMS.get(exc.errno or 0, f"lỗi hệ thống (mã {exc.errno})")


class PasswordUnreadable(Exception):
    """No password could be read (standard input closed, the prompts did not match)."""


def read_password(args: argparse.Namespace) -> str:
    """The new account's password: from standard input with `--password-stdin` (one line),
    else typed twice at a prompt that does not echo it. `--password` on the command line still
    works, with a warning: a password there lands in the shell's history and in the process
    list, where any local user can read it."""
    if args.password is not None:
        print(
            "cảnh báo: --password đã lỗi thời: mật khẩu trên dòng lệnh lộ trong lịch sử lệnh và "
            "danh sách tiến trình; hãy nhập khi được hỏi hoặc dùng --password-stdin",
            file=sys.stderr,
        )
        password: str = args.password
        return password
    if args.password_stdin:
        line = sys.stdin.readline()
        if not line:
            raise PasswordUnreadable("không đọc được mật khẩu từ đầu vào chuẩn")
        return line.rstrip("\r\n")
    try:
        first = getpass.getpass("Mật khẩu: ")
        again = getpass.getpass("Nhập lại mật khẩu: ")
    except (EOFError, KeyboardInterrupt):
        raise PasswordUnreadable("chưa nhập mật khẩu") from None
    if first != again:
        raise PasswordUnreadable("hai lần nhập mật khẩu không khớp")
    return first


def cmd_create_officer(args: argparse.Namespace) -> int:
    try:
        password = read_password(args)
    except PasswordUnreadable as exc:
        return _error(str(exc))
    try:
        data = OfficerCreate(
            username=args.username,
            password=password,
            agency_code=args.agency,
            role=args.role,
            full_name=args.full_name,
        )
    except ValidationError as exc:
        for err in exc.errors():
            print(f"lỗi: {_officer_problem(err)}", file=sys.stderr)
        return 1
    try:
        with _engine() as engine:
            officer = create_officer(engine, data)
    except AppError as exc:
        return _error(exc.message)
    role = ROLE_LABELS.get(officer.role, officer.role)
    print(f"đã tạo tài khoản {role} {officer.username} thuộc cơ quan {officer.agency_code}")
    return 0


ROLE_LABELS = {"officer": "cán bộ", "admin": "quản trị"}


def cmd_stats_rebuild(args: argparse.Namespace) -> int:
    with _engine() as engine:
        report = counters.rebuild(engine, dry_run=args.dry_run)
    print(f"đã tính lại {report.groups} nhóm bộ đếm từ hồ sơ")
    if report.drifted:
        print(f"{len(report.drifted)} dòng bộ đếm bị lệch:")
        for line in report.drifted[:50]:
            print(f"  {line}")
        print("(chạy thử: không thay đổi gì)" if args.dry_run else "đã sửa các dòng bị lệch")
    else:
        print("không có sai lệch")
    return 0


DEFAULT = "%s (mặc định: %%(default)s)"


def build_parser() -> argparse.ArgumentParser:
    parser = ArgumentParser(
        prog="dvc-gateway",
        description="Dòng lệnh quản trị Cổng dịch vụ công trực tuyến. Cơ sở dữ liệu: "
        "DATABASE_URL, mặc định một tệp SQLite trong thư mục dữ liệu (DATA_DIR, hoặc thư mục "
        "dữ liệu người dùng của hệ điều hành), dù chạy lệnh từ thư mục nào.",
    )
    sub = parser.add_subparsers(dest="command", required=True, title="lệnh", metavar="LỆNH")
    serve = sub.add_parser(
        "serve", help="cập nhật cơ sở dữ liệu rồi phục vụ HTTP", description="Phục vụ HTTP."
    )
    serve.add_argument("--host", default="127.0.0.1", metavar="ĐỊA_CHỈ", help=DEFAULT % "địa chỉ")
    serve.add_argument("--port", type=int, default=8000, metavar="CỔNG", help=DEFAULT % "cổng")
    serve.add_argument(
        "--workers", type=int, default=1, metavar="SỐ", help=DEFAULT % "số tiến trình"
    )
    serve.add_argument("--no-access-log", action="store_true", help="không ghi nhật ký truy cập")
    serve.set_defaults(handler=cmd_serve)
    migrate = sub.add_parser("migrate", help="áp dụng các bản chuyển đổi cơ sở dữ liệu")
    migrate.set_defaults(handler=cmd_migrate)
    sub.add_parser("seed", help="nạp danh mục mẫu").set_defaults(handler=cmd_seed)
    imp = sub.add_parser(
        "import-catalogue", help="nạp một tệp JSON danh mục: tất cả hoặc không gì cả"
    )
    imp.add_argument("file", metavar="TỆP", help="tệp JSON gồm cơ quan, lĩnh vực và thủ tục")
    imp.set_defaults(handler=cmd_import_catalogue)
    sweep = sub.add_parser("sweep-orphans", help="xóa các tệp đã lưu không thuộc hồ sơ nào")
    sweep.add_argument(
        "--older-than-minutes",
        type=float,
        default=60,
        metavar="PHÚT",
        help="để yên các tệp mới hơn: có thể thuộc hồ sơ đang nộp (mặc định: %(default)s)",
    )
    sweep.add_argument("--dry-run", action="store_true", help="chỉ liệt kê, không xóa")
    sweep.set_defaults(handler=cmd_sweep_orphans)
    _officer_parser(sub)
    stats = sub.add_parser("stats", help="bộ đếm thống kê")
    stats_sub = stats.add_subparsers(
        dest="stats_command", required=True, title="lệnh", metavar="LỆNH"
    )
    rebuild = stats_sub.add_parser("rebuild", help="tính lại bộ đếm từ hồ sơ và báo các sai lệch")
    rebuild.add_argument("--dry-run", action="store_true", help="chỉ báo, không sửa")
    rebuild.set_defaults(handler=cmd_stats_rebuild)
    register_calendar(sub)
    return parser


def _officer_parser(sub: "argparse._SubParsersAction[ArgumentParser]") -> None:
    officer = sub.add_parser(
        "create-officer",
        help="tạo tài khoản cán bộ hoặc quản trị",
        description="Tạo tài khoản. Mật khẩu (ít nhất 10 ký tự) được hỏi hai lần và không hiện "
        "trên màn hình, hoặc đọc một dòng từ đầu vào chuẩn với --password-stdin.",
    )
    officer.add_argument("--username", required=True, metavar="TÊN", help="tên đăng nhập")
    officer.add_argument(
        "--agency", required=True, metavar="MÃ", help="mã cơ quan, ví dụ 000.00.00.H60"
    )
    officer.add_argument(
        "--role",
        choices=["officer", "admin"],
        default="officer",
        help="officer (cán bộ, mặc định) hoặc admin (quản trị)",
    )
    officer.add_argument("--full-name", default="", metavar="HỌ_TÊN", help="họ và tên")
    source = officer.add_mutually_exclusive_group()
    source.add_argument(
        "--password-stdin",
        action="store_true",
        help="đọc mật khẩu (một dòng) từ đầu vào chuẩn, ví dụ từ một trình quản lý bí mật",
    )
    source.add_argument(
        "--password",
        metavar="MẬT_KHẨU",
        help="(lỗi thời, không an toàn: lộ trong lịch sử lệnh) mật khẩu trên dòng lệnh",
    )
    officer.set_defaults(handler=cmd_create_officer)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    code: int = args.handler(args)
    return code


if __name__ == "__main__":
    sys.exit(main())

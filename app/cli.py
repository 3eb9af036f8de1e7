"""The `dvc-gateway` console script (API.md, Command line)."""

import argparse
import json
import sys
from collections.abc import Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Engine

from app.cli_calendar import register as register_calendar
from app.config import Settings, get_settings
from app.errors import AppError
from app.migrate import migrated_engine
from app.models.officer import OfficerCreate
from app.services.catalogue.importing import import_catalogue
from app.services.catalogue.sample import SAMPLE_CATALOGUE, sample_document
from app.services.dossiers.sweeping import sweep_orphans
from app.services.officers import create_officer
from app.services.stats import counters
from app.services.storage import storage_from_url


def _engine() -> AbstractContextManager[Engine]:
    return migrated_engine(get_settings().database_url)


def _say(message: str) -> None:
    print(message, flush=True)


def cmd_migrate(_args: argparse.Namespace) -> int:
    with migrated_engine(get_settings().database_url, say=_say):
        pass
    print("database is up to date")
    return 0


def _import(raw: Any, source: str) -> int:
    try:
        with _engine() as engine:
            report = import_catalogue(engine, raw)
    except AppError as exc:
        print(f"error: {source}: {exc.message}", file=sys.stderr)
        for item in exc.details:
            print(f"  - {item.get('msg', item)}", file=sys.stderr)
        return 1
    for section in ("agencies", "fields", "procedures"):
        print(
            f"{section}: {report.created.get(section, 0)} created, "
            f"{report.updated.get(section, 0)} updated, "
            f"{report.unchanged.get(section, 0)} unchanged"
        )
    return 0


def cmd_seed(_args: argparse.Namespace) -> int:
    return _import(sample_document(), f"sample catalogue ({SAMPLE_CATALOGUE})")


def cmd_import_catalogue(args: argparse.Namespace) -> int:
    path = Path(args.file)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        print(f"error: cannot read {path}: {exc.strerror}", file=sys.stderr)
        return 1
    except json.JSONDecodeError as exc:
        print(f"error: {path} is not valid JSON: line {exc.lineno}: {exc.msg}", file=sys.stderr)
        return 1
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
        app="app.main:create_app",
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
    verb = "would remove" if args.dry_run else "removed"
    print(f"{verb} {len(report.orphans)} unreferenced file(s)")
    for key in report.orphans:
        print(f"  {key}")
    if not args.dry_run:
        print(f"removed {report.temporary} abandoned temporary file(s)")
    return 0


def cmd_create_officer(args: argparse.Namespace) -> int:
    try:
        data = OfficerCreate(
            username=args.username,
            password=args.password,
            agency_code=args.agency,
            role=args.role,
            full_name=args.full_name,
        )
    except ValidationError as exc:
        for err in exc.errors():
            print(f"error: {'.'.join(map(str, err['loc']))}: {err['msg']}", file=sys.stderr)
        return 1
    try:
        with _engine() as engine:
            officer = create_officer(engine, data)
    except AppError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 1
    print(f"created {officer.role} {officer.username} of agency {officer.agency_code}")
    return 0


def cmd_stats_rebuild(args: argparse.Namespace) -> int:
    with _engine() as engine:
        report = counters.rebuild(engine, dry_run=args.dry_run)
    print(f"{report.groups} counter group(s) recomputed from the dossiers")
    if report.drifted:
        print(f"drift found in {len(report.drifted)} counter row(s):")
        for line in report.drifted[:50]:
            print(f"  {line}")
        print("(dry run: nothing changed)" if args.dry_run else "drifted rows repaired")
    else:
        print("no drift")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="dvc-gateway", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="migrate the database, then serve HTTP")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.add_argument("--no-access-log", action="store_true")
    serve.set_defaults(handler=cmd_serve)
    sub.add_parser("migrate", help="apply database migrations").set_defaults(handler=cmd_migrate)
    sub.add_parser("seed", help="load the sample catalogue").set_defaults(handler=cmd_seed)
    imp = sub.add_parser("import-catalogue", help="load a catalogue JSON file, all or nothing")
    imp.add_argument("file")
    imp.set_defaults(handler=cmd_import_catalogue)
    sweep = sub.add_parser(
        "sweep-orphans", help="remove stored files that no committed dossier references"
    )
    sweep.add_argument(
        "--older-than-minutes",
        type=float,
        default=60,
        help="leave younger files alone: they may belong to submissions in flight",
    )
    sweep.add_argument("--dry-run", action="store_true")
    sweep.set_defaults(handler=cmd_sweep_orphans)
    officer = sub.add_parser("create-officer", help="create an officer or admin account")
    officer.add_argument("--username", required=True)
    officer.add_argument("--password", required=True, help="at least 10 characters")
    officer.add_argument("--agency", required=True, help="agency code, e.g. 000.00.00.H20")
    officer.add_argument("--role", choices=["officer", "admin"], default="officer")
    officer.add_argument("--full-name", default="")
    officer.set_defaults(handler=cmd_create_officer)
    stats = sub.add_parser("stats", help="statistics counters")
    stats_sub = stats.add_subparsers(dest="stats_command", required=True)
    rebuild = stats_sub.add_parser(
        "rebuild", help="recompute the counters from the dossiers and report any drift"
    )
    rebuild.add_argument("--dry-run", action="store_true", help="report only")
    rebuild.set_defaults(handler=cmd_stats_rebuild)
    register_calendar(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    code: int = args.handler(args)
    return code


if __name__ == "__main__":
    sys.exit(main())

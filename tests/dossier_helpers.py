"""Helpers for dossier tests: posting a submission and taking a snapshot of everything a
submission could leave behind."""

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select
from sqlmodel import Session, SQLModel

from app.config import Settings
from app.models import Dossier, DossierEvent, DossierFile, DossierSequence
from tests.factories import APPLICANT, FORM, PDF_BYTES

FileSpec = tuple[str, tuple[str, bytes, str]]
DEFAULT_FILES: list[FileSpec] = [
    ("to_khai", ("Tờ khai khai sinh.pdf", PDF_BYTES, "application/pdf"))
]
UNSET: Any = object()
BOUNDARY = "----dvc-test-boundary"
CHUNK = 64 * 1024


def submit(
    client: TestClient,
    *,
    procedure_code: str | None = "1.001193.H20",
    applicant: Any = UNSET,
    form: Any = UNSET,
    files: list[FileSpec] | None = None,
    extra: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    """POST /api/v1/dossiers; dict/list values are sent as JSON text, None leaves a part out."""
    data: dict[str, str] = {}
    for name, value in (
        ("procedure_code", procedure_code),
        ("applicant", APPLICANT if applicant is UNSET else applicant),
        ("form", FORM if form is UNSET else form),
    ):
        if value is not None:
            data[name] = value if isinstance(value, str) else json.dumps(value)
    data.update(extra or {})
    response: httpx.Response = client.post(
        "/api/v1/dossiers",
        data=data,
        files=DEFAULT_FILES if files is None else files,
        headers=headers or {},
    )
    return response


def stored_files(root: Path) -> list[str]:
    if not root.exists():
        return []
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def snapshot(engine: Engine, storage_root: Path) -> dict[str, Any]:
    """Row counts, sequence numbers and the storage folder's files."""
    with Session(engine) as session:
        counts = {
            table.__name__: session.scalar(select(func.count()).select_from(table))
            for table in (Dossier, DossierFile, DossierEvent)
        }
        sequences = sorted(
            (row.agency_code, row.day, row.last) for row in session.scalars(select(DossierSequence))
        )
    return {"rows": counts, "sequences": sequences, "files": stored_files(storage_root)}


def everything(engine: Engine, settings: Settings) -> dict[str, Any]:
    """Every row of every table, and the stored files: what a refusal must leave as it was."""
    with Session(engine) as session:
        rows = {
            table.name: sorted(map(repr, session.execute(select(table)).all()))
            for table in SQLModel.metadata.sorted_tables
        }
    return {"rows": rows, "files": stored_files(Path(settings.storage_url))}


def body_chunks(file_size: int, counter: list[int]) -> Iterator[bytes]:
    """A multipart body with one PDF of `file_size` bytes, generated lazily; `counter[0]`
    tells how many bytes were pulled."""
    head = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="to_khai"; filename="big.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode() + PDF_BYTES
    pieces: Iterator[bytes] = iter([head])
    remaining = file_size - len(PDF_BYTES)
    filler = b"0" * CHUNK
    for piece in pieces:
        counter[0] += len(piece)
        yield piece
    while remaining > 0:
        piece = filler[: min(CHUNK, remaining)]
        remaining -= len(piece)
        counter[0] += len(piece)
        yield piece
    tail = f"\r\n--{BOUNDARY}--\r\n".encode()
    counter[0] += len(tail)
    yield tail

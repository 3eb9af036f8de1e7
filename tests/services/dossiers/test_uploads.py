"""The streaming multipart receiver: limits while the body streams in, flat memory, nothing
left in storage on failure."""

import hashlib
import tracemalloc
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import anyio
import pytest

from app.errors import TooLarge, UnsupportedMediaType
from app.services.dossiers.uploads import MB, MultipartReceiver, receive_multipart
from app.services.scanning import NoopScanner
from app.services.storage import LocalStorage
from tests.dossier_helpers import BOUNDARY, CHUNK, body_chunks, stored_files
from tests.factories import PDF_BYTES


class OpenRules:
    """No procedure known: only the request's total limit applies."""

    def __init__(self, file_limit: int | None = None, accepted: str | None = None) -> None:
        self.limit = file_limit
        self.accepted = accepted

    def on_text(self, name: str, value: str) -> None:
        return None

    def file_limit(self, key: str) -> int | None:
        return self.limit

    def check_type(self, key: str, content_type: str | None) -> None:
        if self.accepted and content_type != self.accepted:
            raise UnsupportedMediaType()

    def document_name(self, key: str) -> str:
        return key


async def as_stream(chunks: Iterator[bytes]) -> AsyncIterator[bytes]:
    for chunk in chunks:
        yield chunk


def receiver(storage: LocalStorage, limit: int, rules: OpenRules) -> MultipartReceiver:
    return MultipartReceiver(
        f"multipart/form-data; boundary={BOUNDARY}",
        storage,
        NoopScanner(),
        rules,
        max_request_bytes=limit,
    )


def test_a_2_gb_upload_is_refused_after_about_the_limit(tmp_path: Path) -> None:
    storage = LocalStorage(tmp_path)
    pulled = [0]
    target = receiver(storage, 5 * MB, OpenRules())
    with pytest.raises(TooLarge) as refused:
        anyio.run(receive_multipart, as_stream(body_chunks(2 * 1024 * MB, pulled)), target)
    assert refused.value.code == "request_too_large"
    assert 5 * MB < pulled[0] <= 5 * MB + CHUNK
    assert stored_files(tmp_path) == []


def test_a_file_limit_stops_the_file_while_it_streams(tmp_path: Path) -> None:
    storage = LocalStorage(tmp_path)
    pulled = [0]
    target = receiver(storage, 50 * MB, OpenRules(file_limit=1 * MB))
    with pytest.raises(TooLarge) as refused:
        anyio.run(receive_multipart, as_stream(body_chunks(2 * 1024 * MB, pulled)), target)
    assert refused.value.code == "file_too_large"
    assert pulled[0] <= 1 * MB + 2 * CHUNK
    assert stored_files(tmp_path) == []


def test_a_wrong_type_is_refused_from_the_first_bytes(tmp_path: Path) -> None:
    storage = LocalStorage(tmp_path)
    pulled = [0]
    target = receiver(storage, 50 * MB, OpenRules(accepted="image/png"))
    with pytest.raises(UnsupportedMediaType):
        anyio.run(receive_multipart, as_stream(body_chunks(40 * MB, pulled)), target)
    assert pulled[0] <= 3 * CHUNK
    assert stored_files(tmp_path) == []


def peak_python_memory(tmp_path: Path, size: int) -> tuple[int, str]:
    storage = LocalStorage(tmp_path / str(size))
    target = receiver(storage, 100 * MB, OpenRules())
    tracemalloc.start()
    anyio.run(receive_multipart, as_stream(body_chunks(size, [0])), target)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    (upload,) = target.files
    return peak, upload.pending.sha256()


def test_memory_stays_flat_whatever_the_file_size(tmp_path: Path) -> None:
    small, _ = peak_python_memory(tmp_path, 1 * MB)
    large, digest = peak_python_memory(tmp_path, 40 * MB)
    assert large - small < 2 * MB, (small, large)
    expected = hashlib.sha256(PDF_BYTES + b"0" * (40 * MB - len(PDF_BYTES))).hexdigest()
    assert digest == expected

"""Streaming multipart reception: file parts go straight to storage while the body arrives.

FastAPI has no upload limit of its own, and Starlette's form parser spools every file to a
temporary file before the endpoint runs — too late to refuse a 2 GB upload and a second copy on
disk. Here python-multipart's push parser is fed chunk by chunk: each file part is hashed, scanned
and written to a temporary storage object as it comes, its type is sniffed from its first bytes,
and every limit is enforced on the bytes read so far. Memory stays flat whatever the file size.

The receiver is synchronous (it does file I/O); `receive_multipart` drives it from an async body
stream, one worker-thread hop per chunk.
"""

import unicodedata
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Protocol

import anyio
import filetype  # type: ignore[import-untyped]
from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header

from app.db import unreachable
from app.errors import (
    BadRequest,
    DuplicateField,
    EmptyFile,
    FieldTooLarge,
    FileInfected,
    FileTooLarge,
    MultipartRequired,
    NulCharacter,
    TooLarge,
    TooManyParts,
    detail,
)
from app.services.scanning import Scanner, ScanSession
from app.services.storage import PendingObject, Storage

MB = 1024 * 1024
# filetype recognises DOCX/XLSX by the names of the first ZIP entries, up to ~6 KB in.
SNIFF_BYTES = 8192
MAX_TEXT_BYTES = 256 * 1024
MAX_PARTS = 100
# python-multipart's own limit, which it enforces by raising from its constructor.
MAX_BOUNDARY = 256


class UploadRules(Protocol):
    """What the use case decides while the body streams in (all may raise AppError)."""

    def on_text(self, name: str, value: str) -> None: ...
    def file_limit(self, key: str) -> int | None: ...
    def check_type(self, key: str, content_type: str | None) -> None: ...
    def document_name(self, key: str) -> str:
        """The document's Vietnamese name for messages (never its key)."""
        ...


@dataclass
class ReceivedFile:
    key: str
    filename: str
    declared_type: str
    pending: PendingObject
    content_type: str | None = None
    infection: str | None = None

    @property
    def size(self) -> int:
        return self.pending.size


@dataclass
class _Part:
    name: str
    file: ReceivedFile | None = None
    scan: ScanSession | None = None
    head: bytearray = field(default_factory=bytearray)
    sniffed: bool = False
    text: bytearray = field(default_factory=bytearray)
    named: bool = False  # the part's filename was not empty


def sniff(head: bytes) -> str | None:
    """The content type from the magic bytes, whatever the name or declared type says."""
    mime = filetype.guess_mime(head)
    return str(mime) if mime else None


def clean_filename(raw: str) -> str:
    """Keep only the last path segment, printable, NFC, at most 255 characters."""
    name = raw.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in unicodedata.normalize("NFC", name) if ch.isprintable())
    return name.strip()[:255] or "tep-dinh-kem"


class MultipartReceiver:
    def __init__(
        self,
        content_type: str,
        storage: Storage,
        scanner: Scanner,
        rules: UploadRules,
        *,
        max_request_bytes: int,
    ) -> None:
        mime, params = parse_options_header(content_type)
        boundary = params.get(b"boundary")
        if mime != b"multipart/form-data" or not boundary:
            raise MultipartRequired()
        if len(boundary) > MAX_BOUNDARY:
            raise BadRequest(f"Chuỗi phân cách multipart (boundary) dài quá {MAX_BOUNDARY} ký tự.")
        self.storage, self.scanner, self.rules = storage, scanner, rules
        self.max_request_bytes = max_request_bytes
        self.read = 0
        self.fields: dict[str, str] = {}
        self.files: list[ReceivedFile] = []
        self._part: _Part | None = None
        self._header_name = bytearray()
        self._header_value = bytearray()
        self._headers: dict[bytes, bytes] = {}
        self._parts = 0
        self._parser = MultipartParser(
            boundary,
            {
                "on_part_begin": self._on_part_begin,
                "on_part_data": self._on_part_data,
                "on_part_end": self._on_part_end,
                "on_header_field": self._on_header_field,
                "on_header_value": self._on_header_value,
                "on_header_end": self._on_header_end,
                "on_headers_finished": self._on_headers_finished,
            },
        )

    # -- driving -------------------------------------------------------------------------------

    def feed(self, chunk: bytes) -> None:
        self.read += len(chunk)
        if self.read > self.max_request_bytes:
            raise TooLarge(
                f"Tổng dung lượng hồ sơ vượt quá {self.max_request_bytes // MB} MB.",
            )
        try:
            self._parser.write(chunk)
        except FormParserError as exc:
            raise BadRequest("Dữ liệu multipart không đúng định dạng.") from exc

    def finish(self) -> None:
        try:
            self._parser.finalize()
        except FormParserError as exc:
            raise BadRequest("Dữ liệu multipart không đúng định dạng.") from exc
        if self._part is not None:
            raise BadRequest("Dữ liệu multipart bị cắt cụt.")

    def abort(self) -> None:
        """Remove every temporary object this request wrote."""
        for received in self.files:
            self.storage.discard(received.pending)
        self.files.clear()

    # -- parser callbacks ----------------------------------------------------------------------

    def _on_part_begin(self) -> None:
        self._headers = {}
        self._parts += 1
        if self._parts > MAX_PARTS:
            raise TooManyParts(f"Tối đa {MAX_PARTS} phần trong một hồ sơ.")

    def _on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_name += data[start:end]

    def _on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def _on_header_end(self) -> None:
        self._headers[bytes(self._header_name).lower()] = bytes(self._header_value)
        self._header_name.clear()
        self._header_value.clear()

    def _on_headers_finished(self) -> None:
        _, options = parse_options_header(self._headers.get(b"content-disposition", b""))
        if b"name" not in options:
            raise BadRequest("Mỗi phần phải có tên (Content-Disposition name).")
        name = options[b"name"].decode("utf-8", "replace")
        part = _Part(name=name)
        if b"filename" in options:
            part.named = bool(options[b"filename"].strip())
            declared = self._headers.get(b"content-type", b"application/octet-stream")
            part.file = ReceivedFile(
                key=name,
                filename=clean_filename(options[b"filename"].decode("utf-8", "replace")),
                declared_type=declared.decode("latin-1")[:120],
                pending=self.storage.begin(),
            )
            self.files.append(part.file)
            part.scan = self.scanner.start()
        self._part = part

    def _on_part_data(self, data: bytes, start: int, end: int) -> None:
        part = self._part
        assert part is not None
        chunk = data[start:end]
        if part.file is None:
            part.text += chunk
            if len(part.text) > MAX_TEXT_BYTES:
                raise FieldTooLarge(
                    f"Trường '{part.name}' vượt quá {MAX_TEXT_BYTES // 1024} KB.",
                    details=[detail([part.name], "quá dài")],
                )
            return
        self._check_size(part.file, len(chunk))
        if not part.sniffed:
            part.head += chunk[: SNIFF_BYTES - len(part.head)]
            if len(part.head) >= SNIFF_BYTES:
                self._sniff(part)
        assert part.scan is not None
        part.scan.feed(chunk)
        part.file.pending.write(chunk)

    def _on_part_end(self) -> None:
        part = self._part
        assert part is not None
        self._part = None
        if part.file is None:
            self._finish_text(part)
            return
        if part.file.size == 0:
            if part.named:
                raise empty_file(part.file, self.rules.document_name(part.file.key))
            # What a browser sends for a file input left empty (filename="" and no bytes): no
            # document, not a bad one.
            self.files.remove(part.file)
            self.storage.discard(part.file.pending)
            return
        if not part.sniffed:
            self._sniff(part)
        part.file.pending.close()
        assert part.scan is not None
        part.file.infection = part.scan.verdict()
        if part.file.infection:
            raise FileInfected(
                "Tệp đính kèm chứa mã độc và đã bị từ chối.",
                details=[detail(["files", part.file.key], "phát hiện mã độc")],
            )

    # -- helpers ---------------------------------------------------------------------------------

    def _check_size(self, received: ReceivedFile, incoming: int) -> None:
        limit = self.rules.file_limit(received.key)
        if limit is not None and received.size + incoming > limit:
            raise file_too_large(received.key, limit, self.rules.document_name(received.key))

    def _sniff(self, part: _Part) -> None:
        assert part.file is not None
        part.sniffed = True
        part.file.content_type = sniff(bytes(part.head))
        part.head = bytearray()
        self.rules.check_type(part.file.key, part.file.content_type)

    def _finish_text(self, part: _Part) -> None:
        if part.name in self.fields:
            raise DuplicateField(
                f"Trường '{part.name}' bị gửi nhiều lần.",
                details=[detail([part.name], "chỉ được gửi một lần")],
            )
        try:
            value = part.text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise BadRequest(f"Trường '{part.name}' không phải UTF-8.") from exc
        if "\x00" in value:
            raise NulCharacter.at([part.name])
        self.fields[part.name] = value
        self.rules.on_text(part.name, value)


def empty_file(received: ReceivedFile, name: str) -> EmptyFile:
    """A named file with no bytes: a scan that failed, a copy that went wrong; never a
    document, and never mistaken for a missing one. Named by its document's Vietnamese name
    (`name`), as people know it, and by the file name they chose."""
    return EmptyFile(
        f"Tệp “{received.filename}” nộp cho “{name}” là tệp rỗng (0 byte): hãy chọn lại tệp.",
        details=[detail(["files", received.key], "tệp rỗng")],
    )


def file_too_large(key: str, limit: int, name: str) -> TooLarge:
    """A file over its limit, named by its document's Vietnamese name (`key` is only its
    place in the details)."""
    return FileTooLarge(
        f"Tệp “{name}” vượt quá {limit // MB} MB.",
        details=[detail(["files", key], f"tối đa {limit // MB} MB")],
    )


async def receive_multipart(stream: AsyncIterator[bytes], receiver: MultipartReceiver) -> None:
    """Feed the body to the receiver; on any failure (a limit, a bad part, the client going
    away) every temporary object it wrote is removed before the error propagates."""
    try:
        async for chunk in stream:
            if chunk:
                await anyio.to_thread.run_sync(receiver.feed, chunk)
        await anyio.to_thread.run_sync(receiver.finish)
    except BaseException:
        with anyio.CancelScope(shield=True):
            await anyio.to_thread.run_sync(receiver.abort)
        raise


class StagedFiles:
    """The files of one request between upload and commit: `promote` moves them to their final
    keys inside the transaction; `undo` deletes what was promoted (the transaction failed).
    Used through `staged_files`, which also discards every temporary object left over."""

    def __init__(self, storage: Storage, files: list[ReceivedFile]) -> None:
        self.storage = storage
        self.files = files
        self.promoted: list[str] = []

    def promote(self) -> None:
        for received_file in self.files:
            self.promoted.append(self.storage.promote(received_file.pending))

    def undo(self) -> None:
        for key in self.promoted:
            self.storage.delete(key)
        self.promoted.clear()


@contextmanager
def staged_files(storage: Storage, files: list[ReceivedFile]) -> Iterator[StagedFiles]:
    """Whatever happens in the block, no temporary object of these files survives it, and on
    an error no promoted file does either, unless the database was lost (see below): a row
    never points at a missing file."""
    staged = StagedFiles(storage, files)
    try:
        yield staged
    except BaseException as exc:
        if not unreachable(exc):
            staged.undo()
        # Else the database went away during the write, perhaps after applying its COMMIT:
        # deleting the files could leave a committed row without them. Kept, they are at worst
        # objects without a row, which `dvc-gateway sweep-orphans` removes.
        raise
    finally:
        for received_file in files:
            if received_file.pending.key not in staged.promoted:
                storage.discard(received_file.pending)

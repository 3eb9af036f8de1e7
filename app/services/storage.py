"""Object storage for dossier files, behind a small interface.

Writes are two-phase so that a crash never leaves a row pointing at a missing file: bytes go to a
temporary object while the request streams in (`begin`), become permanent with `promote` just
before the database commit, and are deleted again if the commit fails. What a crash can still
leave behind (temporary objects, promoted objects whose transaction never committed) is found and
removed by `dvc-gateway sweep-orphans`.

An operating-system error while writing or opening an object (a folder that cannot be written,
a full disk, a volume that is not mounted) is the storage being down: `StorageDown`, a 503.
"""

import hashlib
import logging
import os
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Protocol
from urllib.parse import unquote, urlparse

from app.errors import StorageDown

CHUNK = 64 * 1024
log = logging.getLogger("app.storage")


class PendingObject(Protocol):
    """An object being written: bytes in, size and SHA-256 out."""

    key: str
    size: int

    def write(self, data: bytes) -> None: ...
    def close(self) -> None: ...
    def sha256(self) -> str: ...


class Storage(Protocol):
    def begin(self) -> PendingObject: ...
    def promote(self, pending: PendingObject) -> str: ...
    def discard(self, pending: PendingObject) -> None: ...
    def delete(self, key: str) -> None: ...
    def open(self, key: str) -> BinaryIO: ...
    def keys(self, older_than_s: float) -> Iterator[str]: ...
    def sweep_temporary(self, older_than_s: float) -> int: ...
    def check(self) -> None: ...


@dataclass
class LocalPending:
    key: str
    path: Path
    handle: BinaryIO
    size: int = 0
    _hash: "hashlib._Hash" = field(default_factory=hashlib.sha256)

    def write(self, data: bytes) -> None:
        with _down_on_os_error():
            self.handle.write(data)
        self._hash.update(data)
        self.size += len(data)

    def close(self) -> None:
        if not self.handle.closed:
            with _down_on_os_error():
                self.handle.flush()
                os.fsync(self.handle.fileno())
                self.handle.close()

    def sha256(self) -> str:
        return self._hash.hexdigest()


class LocalStorage:
    """Files under one folder: `tmp/` while writing, `objects/ab/<key>` once promoted.
    Names are server-generated UUIDs; the client's filename never reaches a path."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.tmp = root / "tmp"
        self.objects = root / "objects"

    def _ensure(self) -> None:
        self.tmp.mkdir(parents=True, exist_ok=True)
        self.objects.mkdir(parents=True, exist_ok=True)

    def _object_path(self, key: str) -> Path:
        if not key.isalnum():  # keys are ours (uuid hex); refuse anything path-like
            raise ValueError(f"bad storage key {key!r}")
        return self.objects / key[:2] / key

    def begin(self) -> LocalPending:
        key = uuid.uuid4().hex
        path = self.tmp / f"{key}.part"
        with _down_on_os_error():
            self._ensure()
            return LocalPending(key=key, path=path, handle=path.open("xb"))

    def promote(self, pending: PendingObject) -> str:
        assert isinstance(pending, LocalPending)
        pending.close()
        target = self._object_path(pending.key)
        with _down_on_os_error():
            target.parent.mkdir(exist_ok=True)
            os.replace(pending.path, target)
            _fsync_dir(target.parent)
        return pending.key

    def discard(self, pending: PendingObject) -> None:
        assert isinstance(pending, LocalPending)
        try:
            pending.handle.close()
            pending.path.unlink(missing_ok=True)
        except OSError as exc:
            # Never hides the error being handled; `sweep-orphans` removes what is left.
            log.warning("temporary object %s not removed: %s", pending.key, exc)

    def delete(self, key: str) -> None:
        self._object_path(key).unlink(missing_ok=True)

    def open(self, key: str) -> BinaryIO:
        path = self._object_path(key)
        try:
            return path.open("rb")
        except FileNotFoundError as exc:
            if self.objects.is_dir():
                raise  # the storage answers, and this object is not in it: a bug
            raise StorageDown() from exc
        except OSError as exc:
            raise StorageDown() from exc

    def keys(self, older_than_s: float) -> Iterator[str]:
        """Promoted objects last modified more than `older_than_s` seconds ago."""
        cutoff = time.time() - older_than_s
        if not self.objects.exists():
            return
        for path in self.objects.glob("*/*"):
            if path.is_file() and path.stat().st_mtime < cutoff:
                yield path.name

    def sweep_temporary(self, older_than_s: float) -> int:
        """Remove abandoned temporary objects; young ones may belong to uploads in flight."""
        cutoff = time.time() - older_than_s
        removed = 0
        if self.tmp.exists():
            for path in self.tmp.glob("*.part"):
                if path.stat().st_mtime < cutoff:
                    path.unlink(missing_ok=True)
                    removed += 1
        return removed

    def check(self) -> None:
        """Raise OSError when the folder cannot be written."""
        self._ensure()
        probe = self.tmp / f".ready-{uuid.uuid4().hex}"
        probe.write_bytes(b"")
        probe.unlink()


@contextmanager
def _down_on_os_error() -> Iterator[None]:
    try:
        yield
    except OSError as exc:
        raise StorageDown() from exc


def _fsync_dir(path: Path) -> None:
    # The rename is only durable once the directory entry is on disk.
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def storage_from_url(url: str) -> LocalStorage:
    """`file:///abs/folder` or a plain folder path (API.md, Command line)."""
    if url.startswith("file://"):
        return LocalStorage(Path(unquote(urlparse(url).path)))
    if "://" in url:
        raise ValueError(f"unsupported STORAGE_URL scheme: {url}")
    return LocalStorage(Path(url))


def iter_object(storage: Storage, key: str) -> Iterator[bytes]:
    """Stream a stored object in chunks (downloads never load a whole file). The object is
    opened here, before the response starts, so that a storage that cannot be read is a 503
    rather than a download cut off after its headers."""
    handle = storage.open(key)
    return _chunks(handle)


def _chunks(handle: BinaryIO) -> Iterator[bytes]:
    with handle:
        while chunk := handle.read(CHUNK):
            yield chunk

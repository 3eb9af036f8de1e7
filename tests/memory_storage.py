"""Storage in a dict, for dossiers whose files no test reads from a folder."""

import hashlib
import io
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from app.services.storage import PendingObject


@dataclass
class MemoryPending:
    key: str
    size: int = 0
    data: bytearray = field(default_factory=bytearray)

    def write(self, data: bytes) -> None:
        self.data += data
        self.size += len(data)

    def close(self) -> None:
        return None

    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


class MemoryStorage:
    """Storage in a dict, for dossiers whose files no test reads from a folder."""

    def __init__(self) -> None:
        self.objects: dict[str, bytes] = {}

    def begin(self) -> MemoryPending:
        return MemoryPending(uuid.uuid4().hex)

    def promote(self, pending: PendingObject) -> str:
        assert isinstance(pending, MemoryPending)
        self.objects[pending.key] = bytes(pending.data)
        return pending.key

    def discard(self, pending: PendingObject) -> None:
        return None

    def delete(self, key: str) -> None:
        self.objects.pop(key, None)

    def open(self, key: str) -> BinaryIO:
        return io.BytesIO(self.objects[key])

    def keys(self, older_than_s: float) -> Iterator[str]:
        return iter(list(self.objects))

    def sweep_temporary(self, older_than_s: float) -> int:
        return 0

    def check(self) -> None:
        return None

"""The virus-scan step of the upload pipeline, behind an interface.

A scan is fed the file's bytes as they stream in (the way clamd's INSTREAM command takes them), so
scanning never needs the whole file in memory. The default scanner accepts everything; a clamd
scanner can be plugged in with the SCANNER setting later.
"""

from typing import Protocol


class ScanSession(Protocol):
    def feed(self, data: bytes) -> None: ...
    def verdict(self) -> str | None:
        """None when clean, else the name of what was found."""
        ...


class Scanner(Protocol):
    def start(self) -> ScanSession: ...


class _NoScan:
    def feed(self, data: bytes) -> None:
        return None

    def verdict(self) -> str | None:
        return None


class NoopScanner:
    """Accepts every file (the default until a clamd is configured)."""

    def start(self) -> ScanSession:
        return _NoScan()


def scanner_from_setting(name: str) -> Scanner:
    if name == "none":
        return NoopScanner()
    raise ValueError(f"unknown SCANNER {name!r} (supported: none)")

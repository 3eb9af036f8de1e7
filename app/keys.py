"""Server keys kept in files, created on first start: the token issuer's RSA key and the data
key that seals applicants' tokens. Mode 0600 in a 0700 folder, outside the repository."""

import contextlib
import os
import secrets
from collections.abc import Callable
from pathlib import Path


def load_or_create(path: Path, make: Callable[[], bytes]) -> bytes:
    """The file's bytes; on first start `make()` writes them. Several workers may start at
    once: the key is written whole to a temporary file and linked into place, which fails if
    another worker linked theirs first (then theirs is used). A reader never sees half a key."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(make())
                f.flush()
                os.fsync(f.fileno())
            with contextlib.suppress(FileExistsError):  # another worker's key is in place
                os.link(temporary, path)
        finally:
            temporary.unlink(missing_ok=True)
    return path.read_bytes()

"""Bearer tokens of applicants, and what is kept of a token for idempotent replays.

A submission with an `Idempotency-Key` must answer a replay with the same `access_token`, so the
token is kept, encrypted: AES-256-GCM (`cryptography`) under a server key, bound to the
Idempotency-Key as associated data. The key itself is stored only as an HMAC under a server
secret. A copy of the database alone therefore yields neither the tokens nor a way to test
guessed keys; both server secrets are derived (HKDF) from the data key file
(`settings.data_key_path`, created on first start, app/keys.py).
"""

import base64
import functools
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from app.keys import load_or_create

TOKEN_BYTES = 32  # 256 bits
KEY_BYTES = 32  # the data key: 256 bits
NONCE_BYTES = 12  # AES-GCM's standard nonce, random per seal


def new_access_token() -> tuple[str, bytes]:
    """A random token (URL-safe text) and its raw bytes."""
    raw = secrets.token_bytes(TOKEN_BYTES)
    return _encode(raw), raw


def token_hash(token: str) -> str:
    """What the database keeps. A plain SHA-256 suffices: the token has 256 bits of entropy,
    so there is nothing to brute-force."""
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


@dataclass(frozen=True)
class TokenKeys:
    """The two server secrets of idempotent replays."""

    seal_key: bytes  # AES-256-GCM
    mac_key: bytes  # HMAC-SHA256 of Idempotency-Keys

    @classmethod
    def derive(cls, data_key: bytes) -> "TokenKeys":
        return cls(
            derive_secret(data_key, b"dvc-gateway token seal"),
            derive_secret(data_key, b"dvc-gateway idempotency key"),
        )


def derive_secret(data_key: bytes, label: bytes) -> bytes:
    """One server secret of the data key, for one purpose (`label`): knowing one tells nothing
    of the others (HKDF-SHA256)."""
    return HKDF(algorithm=SHA256(), length=32, salt=None, info=label).derive(data_key)


@functools.cache
def data_key(data_key_path: str) -> bytes:
    """The data key file's bytes, created on first use; read once per process."""
    key = load_or_create(Path(data_key_path), lambda: secrets.token_bytes(KEY_BYTES))
    if len(key) != KEY_BYTES:
        raise RuntimeError(f"{data_key_path}: a data key is {KEY_BYTES} bytes")
    return key


@functools.cache
def token_keys(data_key_path: str) -> TokenKeys:
    """The keys of the data key file, created on first use; read once per process."""
    return TokenKeys.derive(data_key(data_key_path))


@functools.cache
def server_secret(data_key_path: str, label: bytes) -> bytes:
    """Another purpose's secret of the same data key (the pages' CSRF tokens: app/web/csrf.py),
    so that the server keeps one key file."""
    return derive_secret(data_key(data_key_path), label)


def key_hash(keys: TokenKeys, idempotency_key: str) -> str:
    return hmac.new(keys.mac_key, idempotency_key.encode(), "sha256").hexdigest()


def seal(keys: TokenKeys, raw_token: bytes, idempotency_key: str) -> str:
    """The token encrypted for the holder of the Idempotency-Key (base64url, 80 characters)."""
    nonce = secrets.token_bytes(NONCE_BYTES)
    sealed = AESGCM(keys.seal_key).encrypt(nonce, raw_token, idempotency_key.encode())
    return _encode(nonce + sealed)


def unseal(keys: TokenKeys, sealed: str, idempotency_key: str) -> str:
    """The token again; `cryptography.exceptions.InvalidTag` if the seal or key do not match."""
    data = base64.urlsafe_b64decode(sealed + "=" * (-len(sealed) % 4))
    nonce, ciphertext = data[:NONCE_BYTES], data[NONCE_BYTES:]
    return _encode(AESGCM(keys.seal_key).decrypt(nonce, ciphertext, idempotency_key.encode()))


def _encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")

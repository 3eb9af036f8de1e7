"""Bearer tokens of applicants and the sealing of a token for idempotent replays."""

import base64
import hashlib
import hmac
import secrets

TOKEN_BYTES = 32  # 256 bits


def new_access_token() -> tuple[str, bytes]:
    """A random token (URL-safe text) and its raw bytes."""
    raw = secrets.token_bytes(TOKEN_BYTES)
    return _encode(raw), raw


def token_hash(token: str) -> str:
    """What the database keeps. A plain SHA-256 suffices: the token has 256 bits of entropy,
    so there is nothing to brute-force."""
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def key_hash(idempotency_key: str) -> str:
    return hashlib.sha256(b"idempotency-key\0" + idempotency_key.encode()).hexdigest()


def seal(raw_token: bytes, idempotency_key: str) -> str:
    """XOR the token with a keystream derived from the Idempotency-Key, which is stored only as
    a hash: a replay by the key's holder can return the token again, a database reader cannot."""
    return bytes(a ^ b for a, b in zip(raw_token, _keystream(idempotency_key), strict=True)).hex()


def unseal(sealed: str, idempotency_key: str) -> str:
    raw = bytes(
        a ^ b for a, b in zip(bytes.fromhex(sealed), _keystream(idempotency_key), strict=True)
    )
    return _encode(raw)


def _keystream(idempotency_key: str) -> bytes:
    return hmac.new(idempotency_key.encode(), b"dvc-gateway access-token seal", "sha256").digest()


def _encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")

"""What is kept of an applicant's token for replays reveals nothing without the server key."""

import hashlib
import os
import stat
import threading
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidTag
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlmodel import Session, col

from app.keys import load_or_create
from app.models import Dossier
from app.services.dossiers import tokens
from tests.dossier_helpers import submit
from tests.factories import make_online_procedure

KEY = "3f6c1d2e-retry-of-my-submission"


def keys(seed: bytes) -> tokens.TokenKeys:
    return tokens.TokenKeys.derive(hashlib.sha256(seed).digest())


def test_a_sealed_token_opens_only_with_its_key_and_the_server_key() -> None:
    token, raw = tokens.new_access_token()
    server = keys(b"server")
    sealed = tokens.seal(server, raw, KEY)
    assert tokens.unseal(server, sealed, KEY) == token
    assert tokens.seal(server, raw, KEY) != sealed  # a fresh nonce each time
    assert len(sealed) <= 128  # the column
    with pytest.raises(InvalidTag):
        tokens.unseal(server, sealed, KEY + "x")
    with pytest.raises(InvalidTag):
        tokens.unseal(keys(b"another server"), sealed, KEY)


def test_an_idempotency_key_is_kept_as_an_hmac_under_the_server_key() -> None:
    a, b = tokens.key_hash(keys(b"server"), KEY), tokens.key_hash(keys(b"other"), KEY)
    assert a != b and len(a) == 64
    assert a != hashlib.sha256(KEY.encode()).hexdigest()


def test_a_database_copy_and_the_key_do_not_yield_the_token(
    client: TestClient, session: Session
) -> None:
    make_online_procedure(session)
    created = submit(client, headers={"Idempotency-Key": KEY})
    assert created.status_code == 201
    token = created.json()["access_token"]
    row = session.scalars(select(Dossier).where(col(Dossier.code) == created.json()["code"])).one()
    assert row.sealed_access_token and token not in row.sealed_access_token
    # Without the data key the row opens with nothing a client knows (the key included).
    with pytest.raises(InvalidTag):
        tokens.unseal(keys(KEY.encode()), row.sealed_access_token, KEY)
    assert (
        row.idempotency_key_hash != hashlib.sha256(b"idempotency-key\0" + KEY.encode()).hexdigest()
    )
    replay = submit(client, headers={"Idempotency-Key": KEY})
    assert replay.status_code == 200 and replay.json()["access_token"] == token


def test_the_data_key_file_is_private_and_one_for_every_worker(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "data-key"
    seen: list[bytes] = []

    def start() -> None:  # several workers starting at once
        seen.append(load_or_create(path, lambda: os.urandom(32)))

    threads = [threading.Thread(target=start) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(seen)) == 1 and len(seen[0]) == 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert [p.name for p in path.parent.iterdir()] == ["data-key"]  # no temporary left

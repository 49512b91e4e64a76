"""API keys: stored hashed with a role, revoked without a restart, parsed safely, rate-limited per key."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from callroute.serving.keys import ROLES, Keyring, KeysFile, KeysFileError, RateLimiter, development_keys, parse_token


def test_a_new_key_is_stored_hashed_with_its_role(tmp_path: Path) -> None:
    # Given an empty keys file  When a dispatch key is added
    keys = KeysFile(tmp_path / "keys.json")
    stored, token = keys.add("dispatch", "CAD east")
    # Then the file names its id, role and name, holds its hash and never the token or its secret
    text = (tmp_path / "keys.json").read_text()
    secret = token.split("_", 2)[2]
    assert stored.id in text and '"dispatch"' in text and "CAD east" in text, text
    assert token not in text and secret not in text, "the keys file must not hold the secret"
    assert stat.S_IMODE((tmp_path / "keys.json").stat().st_mode) == 0o600, "only the owner may read the keys file"
    assert token.startswith(f"cr_{stored.id}_"), token


def test_the_token_identifies_its_key_and_role_and_nothing_else(tmp_path: Path) -> None:
    # Given a keys file with an auditor key
    keys = KeysFile(tmp_path / "keys.json")
    stored, token = keys.add("auditor")
    ring = Keyring(tmp_path / "keys.json")
    # When its token, a token with one letter changed and another id are offered
    caller = ring.identify(token)
    forged = token[:-1] + ("A" if token[-1] != "A" else "B")
    # Then only the real token is the auditor
    assert caller is not None and caller.key_id == stored.id and caller.roles == {"auditor"}, caller
    assert ring.identify(forged) is None, "a changed secret must not be accepted"
    assert ring.identify(f"cr_00000000_{token.split('_', 2)[2]}") is None, "the secret belongs to one id"


def test_a_revoked_key_is_refused_by_a_running_keyring(tmp_path: Path) -> None:
    # Given a keyring that accepts a dispatch key
    keys = KeysFile(tmp_path / "keys.json")
    stored, token = keys.add("dispatch")
    ring = Keyring(tmp_path / "keys.json", recheck_seconds=0)
    assert ring.identify(token) is not None
    # When the key is revoked in the file (as `callroute keys revoke` does)
    revoked = keys.revoke(stored.id)
    # Then the same keyring refuses it, and the file keeps it with its revocation time
    assert ring.identify(token) is None, "a revoked key must stop working without a restart"
    assert revoked.revoked_at and [k.id for k in keys.read()] == [stored.id], keys.read()


def test_revoking_an_unknown_key_says_so(tmp_path: Path) -> None:
    with pytest.raises(KeyError):
        KeysFile(tmp_path / "keys.json").revoke("deadbeef")


def test_a_broken_keys_file_stops_the_start_but_not_a_running_server(tmp_path: Path) -> None:
    # Given a keyring running on a good file
    path = tmp_path / "keys.json"
    _, token = KeysFile(path).add("dispatch")
    ring = Keyring(path, recheck_seconds=0)
    # When the file is overwritten with something else
    path.write_text("{not json")
    # Then the running keyring keeps the last good keys, and a new one refuses to start
    assert ring.identify(token) is not None, "a half-written keys file must not lock dispatch out"
    with pytest.raises(KeysFileError, match="not a callroute keys file"):
        Keyring(path)


def test_an_unknown_role_in_the_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "keys.json"
    path.write_text(json.dumps({"keys": [{"id": "0011aabb", "role": "root", "name": "", "created_at": "x",
                                          "sha256": "0" * 64}]}))
    with pytest.raises(KeysFileError, match="role 'root'"):
        KeysFile(path).read()


def test_development_keys_hold_every_role_unless_one_is_named() -> None:
    # Given one bare development key and one written role:key
    found = development_keys(frozenset({"dev-key-0123456789abcdef", "auditor:audit-key-0123456789"}))
    ring = Keyring(None, found)
    # Then the bare key holds every role and the other only its own
    assert ring.identify("dev-key-0123456789abcdef").roles == set(ROLES)
    assert ring.identify("audit-key-0123456789").roles == {"auditor"}
    assert ring.identify("auditor:audit-key-0123456789") is None, "the role prefix is no part of the key"


@given(st.text(max_size=80))
def test_parse_token_never_raises_and_accepts_only_the_key_shape(text: str) -> None:
    # Given any text offered as a bearer token  When it is parsed  Then it is refused or has the key's shape
    parsed = parse_token(text)
    if parsed is not None:
        key_id, secret = parsed
        assert text == f"cr_{key_id}_{secret}" and len(key_id) == 8 and secret, (text, parsed)
        assert all(c in "0123456789abcdef" for c in key_id), key_id


@given(st.text(alphabet="0123456789abcdef", min_size=8, max_size=8),
       st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=126), min_size=1, max_size=60))
def test_parse_token_reads_back_every_well_formed_token(key_id: str, secret: str) -> None:
    assert parse_token(f"cr_{key_id}_{secret}") == (key_id, secret)


def test_the_rate_limiter_lets_a_burst_through_then_says_how_long_to_wait() -> None:
    # Given a bucket of 3 refilling at one request every 1,000 s
    limiter = RateLimiter(rate=0.001, burst=3)
    # When one key makes 4 requests at once and another key 1
    waits = [limiter.wait_for("a") for _ in range(4)]
    # Then the first 3 go, the 4th must wait about 1,000 s, and the other key is not held back
    assert waits[:3] == [0.0, 0.0, 0.0] and 900 < waits[3] <= 1000, waits
    assert limiter.wait_for("b") == 0.0, "one key's bucket must not slow another"
    assert RateLimiter(rate=0, burst=1).wait_for("a") == 0.0 == RateLimiter(rate=0, burst=1).wait_for("a")


def test_the_keys_commands_add_list_and_revoke(tmp_path: Path, capsys) -> None:
    from callroute.cli import main

    path = tmp_path / "keys.json"
    # Given an administrator who adds an auditor key from the command line
    assert main(["keys", "add", "--role", "auditor", "--name", "county auditor", "--file", str(path)]) == 0
    token = capsys.readouterr().out.strip().splitlines()[-1]
    key_id = parse_token(token)[0]
    # When the keys are listed and the key is revoked
    assert main(["keys", "list", "--file", str(path)]) == 0
    listing = capsys.readouterr().out
    assert main(["keys", "revoke", key_id, "--file", str(path)]) == 0
    revoked = capsys.readouterr().out
    # Then the listing shows the id, role and name but not the token, and the revocation is recorded
    assert key_id in listing and "auditor" in listing and "county auditor" in listing, listing
    assert token not in listing, "a listing must never show a token"
    assert f"revoked key {key_id}" in revoked and KeysFile(path).read()[0].revoked_at, revoked
    # And an unknown id or role is a clear error with exit 2
    assert main(["keys", "revoke", "ffffffff", "--file", str(path)]) == 2
    assert "no key 'ffffffff'" in capsys.readouterr().err
    assert main(["keys", "add", "--role", "root", "--file", str(path)]) == 2

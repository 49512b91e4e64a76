"""API keys with roles: who may call what, stored hashed, at what rate.

Roles (OWASP API Security Top 10, API1 and API5: object- and function-level authorization):

* ``dispatch``: route calls, report outcomes, add call updates (what dispatch software does);
* ``auditor``: read logged decisions, the served model and the metrics (read only);
* ``admin``: reload the served bundle, list the keys.

A key is ``cr_<id>_<secret>``: the id (8 hex digits) names it in the keys file, in every decision it asked
for and in every log line; the secret is 256 random bits. The keys file (``CALLROUTE_KEYS_FILE``, managed by
``callroute keys add/list/revoke``) holds each key's id, role, name, times and the SHA-256 of its secret,
never the secret: a key this random needs no slow password hash (GitHub's and Stripe's tokens are checked
the same way), and a stolen keys file grants nothing. The server re-reads the file when it changes, so a
revoked key stops working within a second, without a restart.

``CALLROUTE_API_KEYS`` stays for development: a comma-separated list of keys of at least 16 characters,
each holding every role unless written ``role:key`` (``auditor:0123456789abcdef``), and not rate-limited
(tests and benchmarks drive the server with them).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from callroute.settings import ROLES

log = logging.getLogger("callroute.keys")
PREFIX = "cr_"
_ID_LENGTH = 8


class KeysFileError(ValueError):
    """The keys file cannot be read or does not hold what it should (the message names the file and why)."""


@dataclass(frozen=True)
class StoredKey:
    """One key as the keys file holds it (no secret)."""

    id: str
    role: str
    name: str
    created_at: str
    sha256: str
    revoked_at: str | None = None

    @property
    def active(self) -> bool:
        """Not revoked."""
        return self.revoked_at is None


@dataclass(frozen=True)
class Caller:
    """Who a request's key says it is: the key id and the roles it holds."""

    key_id: str
    roles: frozenset[str]
    limited: bool = True  # development keys (CALLROUTE_API_KEYS) are not rate-limited

    def may(self, role: str) -> bool:
        """Whether this key holds ``role``."""
        return role in self.roles


def digest(secret: str) -> str:
    """SHA-256 of a key's secret part, hex."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def parse_token(token: str) -> tuple[str, str] | None:
    """``cr_<id>_<secret>`` -> (id, secret); None for anything else."""
    if not token.startswith(PREFIX) or len(token) <= len(PREFIX) + _ID_LENGTH + 1:
        return None
    key_id, sep, secret = token[len(PREFIX):].partition("_")
    if sep != "_" or len(key_id) != _ID_LENGTH or not secret or any(c not in "0123456789abcdef" for c in key_id):
        return None
    return key_id, secret


class KeysFile:
    """The keys file: read, add, revoke (written whole and atomically, under a lock, mode 0600)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def read(self) -> list[StoredKey]:
        """Every key in the file, revoked ones included; [] when there is no file yet."""
        if not self.path.exists():
            return []
        try:
            document = json.loads(self.path.read_text("utf-8"))
            keys = [StoredKey(**entry) for entry in document["keys"]]
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise KeysFileError(f"{self.path}: not a callroute keys file ({error})") from None
        for key in keys:
            if key.role not in ROLES:
                raise KeysFileError(f"{self.path}: key {key.id} has role {key.role!r}; roles are {', '.join(ROLES)}")
        return keys

    def add(self, role: str, name: str = "") -> tuple[StoredKey, str]:
        """Create a key for ``role``: returns it and the token (shown once, never stored)."""
        if role not in ROLES:
            raise KeysFileError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
        with self._locked():
            keys = self.read()
            taken = {key.id for key in keys}
            key_id = secrets.token_hex(_ID_LENGTH // 2)
            while key_id in taken:
                key_id = secrets.token_hex(_ID_LENGTH // 2)
            secret = secrets.token_urlsafe(32)
            stored = StoredKey(id=key_id, role=role, name=name, created_at=_now(), sha256=digest(secret))
            self._write([*keys, stored])
        return stored, f"{PREFIX}{key_id}_{secret}"

    def revoke(self, key_id: str) -> StoredKey:
        """Mark a key revoked (kept in the file: decisions name it). KeyError when there is no such key."""
        with self._locked():
            keys = self.read()
            found = next((key for key in keys if key.id == key_id), None)
            if found is None:
                raise KeyError(key_id)
            if not found.active:
                return found
            revoked = StoredKey(**{**asdict(found), "revoked_at": _now()})
            self._write([revoked if key.id == key_id else key for key in keys])
        return revoked

    def _write(self, keys: list[StoredKey]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_name(self.path.name + ".tmp")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump({"keys": [asdict(key) for key in keys]}, handle, indent=2)
            handle.write("\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, self.path)

    @contextmanager
    def _locked(self) -> Iterator[None]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path.with_name(self.path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)


def development_keys(entries: frozenset[str]) -> dict[str, Caller]:
    """``CALLROUTE_API_KEYS`` entries -> {SHA-256 of the key: caller}; a bare key holds every role."""
    found: dict[str, Caller] = {}
    for entry in entries:
        role, sep, key = entry.partition(":")
        if not sep or role not in ROLES:
            role, key = "", entry
        roles = frozenset([role]) if role else frozenset(ROLES)
        found[digest(key)] = Caller(key_id="env-" + digest(key)[:8], roles=roles, limited=False)
    return found


@dataclass
class Keyring:
    """The keys a server accepts: the keys file's active keys (re-read when it changes) and the development keys."""

    path: Path | None
    development: dict[str, Caller] = field(default_factory=dict)
    recheck_seconds: float = 1.0
    _stored: dict[str, StoredKey] = field(default_factory=dict)
    _stamp: tuple | None = None
    _checked: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self._refresh(force=True)

    def __len__(self) -> int:
        return len(self.development) + sum(key.active for key in self._stored.values())

    def identify(self, token: str) -> Caller | None:
        """The caller a bearer token names, or None (unknown, revoked or malformed)."""
        self._refresh()
        parsed = parse_token(token)
        if parsed is not None:
            stored = self._stored.get(parsed[0])
            if stored is not None and stored.active and secrets.compare_digest(digest(parsed[1]), stored.sha256):
                return Caller(key_id=stored.id, roles=frozenset([stored.role]))
        offered = digest(token)
        for known, caller in self.development.items():
            if secrets.compare_digest(offered, known):
                return caller
        return None

    def stored(self) -> list[StoredKey]:
        """The keys file's keys as last read."""
        self._refresh()
        return list(self._stored.values())

    def _refresh(self, *, force: bool = False) -> None:
        if self.path is None:
            return
        now = time.monotonic()
        if not force and now - self._checked < self.recheck_seconds:
            return
        with self._lock:
            self._checked = now
            try:
                status = self.path.stat()
                stamp = (status.st_mtime_ns, status.st_size, status.st_ino)
            except FileNotFoundError:
                stamp = None
            if stamp == self._stamp and not force:
                return
            try:
                keys = KeysFile(self.path).read()
            except KeysFileError:
                if force:
                    raise  # at start-up a broken keys file stops the server
                # While serving, a half-edited file must not lock every dispatcher out: keep the last good keys.
                log.exception("keys file unreadable; still using the keys read before")
                self._stamp = stamp
                return
            self._stored = {key.id: key for key in keys}
            self._stamp = stamp


@dataclass
class RateLimiter:
    """A token bucket per key: ``rate`` requests a second on average, ``burst`` at once (per server process)."""

    rate: float
    burst: float
    _buckets: dict[str, tuple[float, float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def wait_for(self, key_id: str) -> float:
        """0 when the request may go ahead now (and spends a token); else the seconds until it may."""
        if self.rate <= 0:
            return 0.0
        now = time.monotonic()
        with self._lock:
            tokens, then = self._buckets.get(key_id, (self.burst, now))
            tokens = min(self.burst, tokens + (now - then) * self.rate)
            if tokens >= 1:
                self._buckets[key_id] = (tokens - 1, now)
                return 0.0
            self._buckets[key_id] = (tokens, now)
            return (1 - tokens) / self.rate


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")

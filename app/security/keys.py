"""API keys: ``rg_<key_id>_<secret>``, stored in Neo4j as ``(:ApiKey)`` with only a hash.

The key id is public (it names the key in ``keys list``, the audit log and metrics); the secret
is 256 random bits, so a single SHA-256 of it cannot be brute-forced and verifying it costs
microseconds per request. The full key is shown once, when it is created.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from riskgraph.app.security.principal import Principal, Role
from riskgraph.graph.connection import Driver
from riskgraph.graph.driver import read, write
from riskgraph.graph.errors import BadInput, NotFound

PREFIX = "rg"
HASH_SCHEME = "sha256"
_KEY_ID = re.compile(r"^[0-9a-f]{12}$")
_TOKEN = re.compile(r"^rg_(?P<key_id>[0-9a-f]{12})_(?P<secret>[A-Za-z0-9_-]{32,128})$")
MAX_NAME = 100


@dataclass(frozen=True)
class ApiKey:
    """A stored key as ``keys list`` shows it (never its secret)."""

    key_id: str
    name: str
    role: Role
    agencies: tuple[str, ...]
    created_at: datetime | None
    revoked_at: datetime | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    def principal(self) -> Principal:
        return Principal(role=self.role, key_id=self.key_id, name=self.name,
                         agencies=self.agencies)


@dataclass(frozen=True)
class StoredKey:
    """A key with the hash of its secret (what authentication needs)."""

    key: ApiKey
    hash: str

    def matches(self, secret: str) -> bool:
        return hmac.compare_digest(self.hash, hash_secret(secret))


@dataclass(frozen=True)
class IssuedKey:
    """A key just created: ``token`` is the full secret key, shown once."""

    key: ApiKey
    token: str


def hash_secret(secret: str) -> str:
    return f"{HASH_SCHEME}:{hashlib.sha256(secret.encode('utf-8')).hexdigest()}"


def parse_token(token: str) -> tuple[str, str] | None:
    """``(key_id, secret)`` of a well-formed key, else None."""
    match = _TOKEN.match(token.strip())
    return (match["key_id"], match["secret"]) if match else None


def _native(value: Any) -> datetime | None:
    if value is None:
        return None
    to_native = getattr(value, "to_native", None)
    return to_native() if callable(to_native) else value  # type: ignore[no-any-return]


def _key(row: dict[str, Any]) -> ApiKey:
    return ApiKey(key_id=row["key_id"], name=row["name"], role=Role(row["role"]),
                  agencies=tuple(row["agencies"] or ()), created_at=_native(row["created_at"]),
                  revoked_at=_native(row["revoked_at"]))


def parse_role(value: str) -> Role:
    try:
        return Role(value.strip().lower())
    except ValueError:
        allowed = ", ".join(r.value for r in Role)
        raise BadInput(f"role {value!r} is not one of {allowed}") from None


def validate_key_id(key_id: str) -> str:
    if not _KEY_ID.match(key_id):
        raise BadInput(f"key id {key_id!r} is not 12 hexadecimal digits (e.g. 3f9a0c1b2d4e)")
    return key_id


def create_key(driver: Driver, name: str, role: Role | str, agencies: Sequence[str] = (),
               *, database: str) -> IssuedKey:
    """Create and store a key; return it with its secret (the only time it is available)."""
    role = role if isinstance(role, Role) else parse_role(role)
    name = name.strip()
    if not name or len(name) > MAX_NAME:
        raise BadInput(f"key name must be 1 to {MAX_NAME} characters, got {len(name)}")
    cleaned = tuple(dict.fromkeys(a.strip() for a in agencies if a.strip()))
    if role is Role.RESTRICTED and not cleaned:
        raise BadInput("a restricted key needs at least one --agency (the agencies whose "
                       "restricted records it may see)")
    if role is not Role.RESTRICTED and cleaned:
        raise BadInput(f"--agency applies to restricted keys only, not to role {role.value}")
    key_id = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    rows = write(driver, "security/create_api_key", database, key_id=key_id, key_name=name,
                 role=role.value, agencies=list(cleaned), hash=hash_secret(secret))
    return IssuedKey(key=_key(rows[0]), token=f"{PREFIX}_{key_id}_{secret}")


def get_key(driver: Driver, key_id: str, database: str) -> StoredKey | None:
    """The stored key with id ``key_id`` (revoked or not), or None."""
    rows = read(driver, "security/get_api_key", database, key_id=key_id)
    return StoredKey(key=_key(rows[0]), hash=rows[0]["hash"]) if rows else None


def list_keys(driver: Driver, include_revoked: bool = True, *,
              database: str) -> list[ApiKey]:
    rows = read(driver, "security/list_api_keys", database, include_revoked=include_revoked)
    return [_key(row) for row in rows]


def revoke_key(driver: Driver, key_id: str, database: str) -> ApiKey:
    """Revoke a key (a second revocation keeps the first time); NotFound if there is none."""
    rows = write(driver, "security/revoke_api_key", database, key_id=validate_key_id(key_id))
    if not rows:
        raise NotFound(f"no API key with id {key_id!r} (see `riskgraph keys list`)")
    return _key(rows[0])

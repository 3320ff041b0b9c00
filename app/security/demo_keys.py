"""One demo API key per role, kept in ``<RISKGRAPH_HOME>/demo-keys.json`` (mode 0600).

Idempotent: the file is reused while every key in it still exists, is active and matches its
stored hash; otherwise the keys it names are revoked and four new ones are written.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from riskgraph.app.security.keys import create_key, get_key, parse_token, revoke_key
from riskgraph.app.security.principal import Role
from riskgraph.graph.connection import Driver
from riskgraph.graph.driver import read

FILE_NAME = "demo-keys.json"
FALLBACK_AGENCY = "Demo Agency"


def _valid(driver: Driver, entries: dict[str, Any], database: str) -> bool:
    for role in Role:
        token = str(entries.get(role.value, {}).get("key", ""))
        parsed = parse_token(token)
        if parsed is None:
            return False
        stored = get_key(driver, parsed[0], database)
        if stored is None or not stored.key.active or not stored.matches(parsed[1]) \
                or stored.key.role is not role:
            return False
    return True


def _read(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    keys = data.get("keys") if isinstance(data, dict) else None
    return keys if isinstance(keys, dict) else None


def demo_agency(driver: Driver, database: str) -> str:
    """The agency owning most restricted records (so the restricted demo key sees some)."""
    rows = read(driver, "security/list_restricted_agencies", database, limit=1)
    return str(rows[0]["agency"]) if rows else FALLBACK_AGENCY


def write_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` readable by its owner only (0600), atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)


def ensure_demo_keys(driver: Driver, home: Path, api_url: str,
                     database: str) -> tuple[Path, bool]:
    """The demo key file, and True if new keys were created now."""
    path = home / FILE_NAME
    existing = _read(path)
    if existing is not None and _valid(driver, existing, database):
        return path, False
    for entry in (existing or {}).values():
        parsed = parse_token(str(entry.get("key", ""))) if isinstance(entry, dict) else None
        if parsed and get_key(driver, parsed[0], database) is not None:
            revoke_key(driver, parsed[0], database)
    agency = demo_agency(driver, database)
    keys: dict[str, Any] = {}
    for role in Role:
        agencies = [agency] if role is Role.RESTRICTED else []
        issued = create_key(driver, f"demo {role.value}", role, agencies, database=database)
        keys[role.value] = {"key_id": issued.key.key_id, "key": issued.token,
                            "agencies": agencies}
    document = {
        "graphql": api_url,
        "usage": "send one as 'Authorization: Bearer <key>' (or 'X-API-Key: <key>')",
        "keys": keys,
    }
    write_private(path, json.dumps(document, indent=2) + "\n")
    return path, True

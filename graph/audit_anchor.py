"""Anchors of the audit trail outside the database it protects.

The hash chain in Neo4j (graph/store/audit.py) shows an edit made behind the code's back, but
anyone with write access could rebuild the whole chain. So the chain head is also written,
signed with HMAC-SHA256 under a key that is *not* in Neo4j, to an append-only file in the state
folder: ``<RISKGRAPH_HOME>/audit/anchors.jsonl``, one JSON line per anchor::

    {"kind": "head", "seq": 41, "hash": "<event 41's hash>", "at": "...", "mac": "<hex>"}

Each line's ``mac`` covers the previous line's ``mac`` too, so lines cannot be dropped, edited
or reordered without the key. The key is ``RISKGRAPH_AUDIT_KEY`` if set, else
``<RISKGRAPH_HOME>/audit/anchor.key`` (32 random bytes, created with mode 0600; keep a copy
off the server). When an event is appended, the previous head (committed: the counter is
locked) is anchored, so every event is anchored once the next one is written; ``riskgraph
audit-trail --anchor`` anchors the current head (e.g. at the end of a run, or hourly). A
deliberate reset of the graph (``graph.maintenance.clear_data``) writes a signed ``reset``
line: anchors before it no longer apply. ``riskgraph audit-trail --verify`` checks the
database against every anchor since the last reset.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import hmac
import json
import os
import secrets
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from riskgraph.graph.config import Settings, get_settings

ANCHOR_FILE = "anchors.jsonl"
KEY_FILE = "anchor.key"
_lock = threading.Lock()


@dataclass(frozen=True)
class Anchor:
    kind: str
    """``head`` (an event's hash) or ``reset`` (the graph was cleared on purpose)."""
    seq: int
    hash: str
    at: str
    line: int


def audit_dir(settings: Settings | None = None) -> Path:
    return (settings or get_settings()).riskgraph_home / "audit"


def _private_file(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(path.parent, 0o700)
    fd = os.open(path, os.O_CREAT | os.O_APPEND | os.O_WRONLY, 0o600)
    os.close(fd)


def anchor_key(settings: Settings | None = None) -> bytes:
    """The HMAC key: RISKGRAPH_AUDIT_KEY, else the key file (created on first use)."""
    settings = settings or get_settings()
    if settings.riskgraph_audit_key is not None:
        return settings.riskgraph_audit_key.get_secret_value().encode("utf-8")
    path = audit_dir(settings) / KEY_FILE
    if not path.exists() or path.stat().st_size == 0:
        _private_file(path)
        with path.open("w", encoding="ascii") as fh:
            fh.write(secrets.token_hex(32))
    return path.read_text(encoding="ascii").strip().encode("ascii")


def _mac(key: bytes, prev_mac: str, kind: str, seq: int, digest: str, at: str) -> str:
    message = f"{prev_mac}|{kind}|{seq}|{digest}|{at}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def _last_mac(fh: IO[str]) -> str:
    fh.seek(0, os.SEEK_END)
    size = fh.tell()
    fh.seek(max(0, size - 4096))
    lines = [line for line in fh.read().splitlines() if line.strip()]
    if not lines:
        return ""
    try:
        return str(json.loads(lines[-1]).get("mac", ""))
    except ValueError:
        return ""


@contextmanager
def _locked(path: Path) -> Iterator[IO[str]]:
    _private_file(path)
    with _lock, path.open("r+", encoding="utf-8") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield fh
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def append_anchor(kind: str, seq: int, digest: str, settings: Settings | None = None) -> None:
    """Append one signed anchor line (thread- and process-safe)."""
    settings = settings or get_settings()
    key = anchor_key(settings)
    at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    with _locked(audit_dir(settings) / ANCHOR_FILE) as fh:
        mac = _mac(key, _last_mac(fh), kind, seq, digest, at)
        fh.seek(0, os.SEEK_END)
        fh.write(json.dumps({"kind": kind, "seq": seq, "hash": digest, "at": at,
                             "mac": mac}) + "\n")
        fh.flush()
        os.fsync(fh.fileno())


def read_anchors(settings: Settings | None = None) -> tuple[list[Anchor], list[str]]:
    """The anchors since the last reset, and problems with the file's signatures."""
    settings = settings or get_settings()
    path = audit_dir(settings) / ANCHOR_FILE
    if not path.exists():
        return [], []
    key = anchor_key(settings)
    anchors: list[Anchor] = []
    problems: list[str] = []
    prev_mac = ""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            anchor = Anchor(str(row["kind"]), int(row["seq"]), str(row["hash"]),
                            str(row["at"]), number)
            mac = str(row["mac"])
        except (ValueError, KeyError, TypeError):
            problems.append(f"{path}:{number}: not an anchor line")
            continue
        if not hmac.compare_digest(mac, _mac(key, prev_mac, anchor.kind, anchor.seq,
                                             anchor.hash, anchor.at)):
            problems.append(f"{path}:{number}: signature does not verify (the anchor file "
                            "was edited, or lines were removed before it)")
        prev_mac = mac
        if anchor.kind == "reset":
            anchors = []
        else:
            anchors.append(anchor)
    return anchors, problems


def check_against(anchors: list[Anchor], hashes: Mapping[int, str]) -> list[str]:
    """Problems where the database's events (``seq -> hash``) differ from the anchors."""
    problems: list[str] = []
    for a in anchors:
        found = hashes.get(a.seq)
        if found is None:
            problems.append(f"event {a.seq} (anchored {a.at}) is missing from the database")
        elif found != a.hash:
            problems.append(f"event {a.seq}: its hash differs from the one anchored {a.at} "
                            "(the chain was edited and rebuilt)")
    return problems

"""Rows of users' tables left out, collected for the command that read them.

``--features``, ``--event-features`` and ``--outcomes`` tables keep their good rows and leave
out each bad one with a reason naming the file, the row and the field (models/userdata.py,
models/inspections.py). The tables are read deep inside training, evaluation and scoring; each
read reports its left-out rows here (:func:`note`), and a command that wants them wraps its work
in :func:`collect` and prints :func:`summary_lines` (how many rows per file, the first reasons,
where the full list went) after writing them with :func:`write_csv`. Outside ``collect``,
:func:`note` does nothing.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

_CURRENT: ContextVar[dict[tuple[str, str], None] | None] = ContextVar("rejects", default=None)
FIRST = 5
"""How many reasons the command prints; the rejects file holds every one."""


def note(path: Path | str, reasons: Sequence[str]) -> None:
    """Report the rows of ``path`` left out (each reason already names file, row and field).
    The same row read twice in one command is reported once."""
    found = _CURRENT.get()
    if found is None:
        return
    for reason in reasons:
        found.setdefault((str(path), reason), None)


@contextmanager
def collect() -> Iterator[list[tuple[str, str]]]:
    """Collect what :func:`note` reports inside the block, as (file, reason) in order."""
    found: dict[tuple[str, str], None] = {}
    token = _CURRENT.set(found)
    out: list[tuple[str, str]] = []
    try:
        yield out
    finally:
        _CURRENT.reset(token)
        out.extend(found)


def write_csv(rows: Sequence[tuple[str, str]], path: Path) -> Path:
    """Every left-out row as ``file,reason`` (the reason names the row and the field)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["file", "reason"])
        writer.writerows(rows)
    return path


def summary_lines(rows: Sequence[tuple[str, str]], written: Path | None) -> list[str]:
    """Plain lines for the terminal: rows left out per file, the first reasons, the file."""
    if not rows:
        return []
    per: dict[str, int] = {}
    for file, _ in rows:
        per[file] = per.get(file, 0) + 1
    lines = [f"{n:,} row(s) of {file} left out" for file, n in per.items()]
    lines += [f"  {reason}" for _, reason in rows[:FIRST]]
    more = len(rows) - FIRST
    where = f"; every one is listed in {written}" if written is not None else ""
    if more > 0 or where:
        lines.append(f"  ... {max(more, 0):,} more{where}" if more > 0 else f"  {where[2:]}")
    return lines

"""Reading a resolution truth file (``resolution_truth.csv``: kind, record_id, entity_id[, noise])
with errors that name the file, row and field; every bad row is reported, none dropped silently.
"""

from __future__ import annotations

import csv
from pathlib import Path

from riskgraph.graph.errors import BadInput

COLUMNS = ("kind", "record_id", "entity_id")
KINDS = ("person", "company")


def read_truth(path: Path, kind: str = "person") -> dict[str, str]:
    """record_id → entity_id of the rows of ``kind``; BadInput listing every bad row."""
    problems: list[str] = []
    out: dict[str, str] = {}
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise BadInput(f"{path}: missing column(s) {', '.join(missing)} "
                               f"(expected {', '.join(COLUMNS)})")
            for row_no, row in enumerate(reader, start=2):
                problem = _check(row, out)
                if problem:
                    problems.append(f"{path}, row {row_no}: {problem}")
                elif row["kind"] == kind:
                    out[row["record_id"].strip()] = row["entity_id"].strip()
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise BadInput(f"{path}: cannot read the truth file ({exc})") from None
    if problems:
        shown = "; ".join(problems[:10])
        more = f" (and {len(problems) - 10} more)" if len(problems) > 10 else ""
        raise BadInput(f"{len(problems)} bad row(s) in the truth file: {shown}{more}")
    return out


def _check(row: dict[str, str | None], seen: dict[str, str]) -> str | None:
    kind = (row.get("kind") or "").strip()
    if kind not in KINDS:
        return f"kind: {kind!r} is not one of {', '.join(KINDS)}"
    for name in ("record_id", "entity_id"):
        if not (row.get(name) or "").strip():
            return f"{name}: empty"
    record = str(row["record_id"]).strip()
    if record in seen:
        return f"record_id: {record!r} appears twice"
    return None

"""Confirmed bid-rigging cases as a labels CSV (docs/screens-cartels.md).

Columns (header required, any order, extra columns ignored):

* ``level``: ``tender`` or ``firm``;
* ``id``: the tender id, or the firm identifier (cleaned by graph/identifiers.py: a USCC,
  ``lei:…`` or ``<namespace>:<id>``);
* ``label`` (optional, default 1): 1 = confirmed rigged / cartel member, 0 = confirmed clean;
* ``case`` (optional): the case id, reported back.

Tenders and firms the file does not list count as 0 (not confirmed). A synthetic world writes
its planted cartels in this form (``ground_truth_labels.csv``). When the file has no tender
rows, a tender counts as rigged when at least two labelled firms bid separately in it; without
firm rows, the firm level is not evaluated.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from riskgraph.graph.errors import BadInput
from riskgraph.graph.identifiers import IdentifierError, clean_firm_id

LEVELS = ("tender", "firm")


@dataclass
class Labels:
    """Positive / negative tenders and firms of a labels file."""

    source: str
    tenders: dict[str, int] = field(default_factory=dict)
    firms: dict[str, int] = field(default_factory=dict)
    cases: dict[str, str] = field(default_factory=dict)


def read_labels(path: Path) -> Labels:
    """Read a labels CSV; a bad row is an error naming the file, row and field."""
    if not path.is_file():
        raise BadInput(f"labels file {path} not found")
    out = Labels(str(path))
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            missing = [c for c in ("level", "id") if c not in (reader.fieldnames or [])]
            if missing:
                raise BadInput(f"{path}: header lacks column(s) {', '.join(missing)} "
                               "(expected level,id[,label][,case])")
            for row_no, row in enumerate(reader, 2):
                _add(out, path, row_no, row)
    except UnicodeDecodeError as exc:
        raise BadInput(f"{path}: not UTF-8 text ({exc.reason})") from None
    except csv.Error as exc:
        raise BadInput(f"{path}: malformed CSV ({exc})") from None
    if not out.tenders and not out.firms:
        raise BadInput(f"{path}: no labelled tender or firm")
    return out


def _add(out: Labels, path: Path, row_no: int, row: dict[str, str | None]) -> None:
    where = f"{path.name} row {row_no}"
    level = (row.get("level") or "").strip().lower()
    key = (row.get("id") or "").strip()
    if level not in LEVELS:
        raise BadInput(f"{where}: level {level!r} is not tender or firm")
    if not key:
        raise BadInput(f"{where}: id is empty")
    text = (row.get("label") or "1").strip()
    if text not in ("0", "1"):
        raise BadInput(f"{where}: label {text!r} is not 0 or 1")
    if level == "firm":
        try:
            key = clean_firm_id(key)
        except IdentifierError as exc:
            raise BadInput(f"{where}: id: {exc}") from None
    target = out.tenders if level == "tender" else out.firms
    if key in target and target[key] != int(text):
        raise BadInput(f"{where}: {level} {key} is labelled both 0 and 1")
    target[key] = int(text)
    if row.get("case"):
        out.cases[f"{level}:{key}"] = str(row["case"]).strip()

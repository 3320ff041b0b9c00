"""Person records of a world directory, read as graph/store/resolution.py reads the graph: name,
birth date, masked id, first residence, firms held through roles."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from riskgraph.seed.people import ROLE_NAMES


def world_records(world: Path) -> list[dict[str, Any]]:
    firms: dict[str, list[str]] = defaultdict(list)
    for name in ROLE_NAMES:
        for r in pq.read_table(world / f"rels/{name}.parquet", columns=["src", "dst"]
                               ).to_pylist():
            firms[r["src"]].append(r["dst"])
    text = dict(zip(*(pq.read_table(world / "nodes/Address.parquet",
                                    columns=["address_id", "text"]).columns), strict=True))
    text = {k.as_py(): v.as_py() for k, v in text.items()}
    home: dict[str, str] = {}
    for r in pq.read_table(world / "rels/RESIDES_AT.parquet", columns=["src", "dst"]).to_pylist():
        home.setdefault(r["src"], text[r["dst"]])
    cols = ["person_id", "name", "birth_date", "id_number_masked"]
    return [{**p, "address": home.get(p["person_id"]), "firms": firms.get(p["person_id"], [])}
            for p in pq.read_table(world / "nodes/Person.parquet", columns=cols).to_pylist()]

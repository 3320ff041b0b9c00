"""A world's entities → FollowTheMoney entities as JSON lines.

Company (registrationNumber = USCC), Person, Address, Ownership (HOLDS_EQUITY), Directorship
(legal representatives, directors, supervisors, controllers — the role says which), Sanction
(blacklist records), so the world can be compared or merged with other FtM data (e.g. yente,
nomenklatura). Entity ids are the natural keys, prefixed by type.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow as pa

from graph.schema import Label, Rel
from graph.world_io import World

_ROLES = {Rel.LEGAL_REPRESENTATIVE_OF: "legal representative (法定代表人)",
          Rel.DIRECTOR_OF: "director", Rel.SUPERVISOR_OF: "supervisor (监事)",
          Rel.ACTUAL_CONTROLLER_OF: "actual controller"}


def _rows(table: pa.Table | None) -> list[dict[str, Any]]:
    return table.to_pylist() if table is not None else []


def _date(value: Any) -> list[str]:
    return [value.isoformat()[:10] if hasattr(value, "isoformat") else str(value)[:10]] \
        if value is not None else []


def _entity(schema: str, entity_id: str, **props: list[Any]) -> dict[str, Any]:
    return {"id": entity_id, "schema": schema,
            "properties": {k: [str(x) for x in v] for k, v in props.items() if v}}


def ftm_id(label: Label, key: str) -> str:
    return f"{'co' if label == Label.COMPANY else label.value.lower()}-{key}"


def export_ftm(world: World, out: Path) -> int:
    """Write the world's entities and links as FtM JSON lines; return how many entities."""
    entities: list[dict[str, Any]] = []
    for c in _rows(world.nodes.get(Label.COMPANY)):
        entities.append(_entity("Company", ftm_id(Label.COMPANY, c["uscc"]), name=[c["name"]],
                                registrationNumber=[c["uscc"]],
                                incorporationDate=_date(c.get("founded_on")),
                                dissolutionDate=_date(c.get("dissolved_on")),
                                jurisdiction=["cn"], status=[c.get("status") or ""]))
    for p in _rows(world.nodes.get(Label.PERSON)):
        entities.append(_entity("Person", ftm_id(Label.PERSON, p["person_id"]), name=[p["name"]],
                                nationality=[str(p["nationality"]).lower()]
                                if p.get("nationality") else []))
    for a in _rows(world.nodes.get(Label.ADDRESS)):
        entities.append(_entity("Address", ftm_id(Label.ADDRESS, a["address_id"]),
                                full=[a["text"]]))
    for i, e in enumerate(_rows(world.rels.get(Rel.HOLDS_EQUITY))):
        owner = ftm_id(Label(e["src_label"]), e["src"])
        entities.append(_entity("Ownership", f"own-{i}-{e['src']}-{e['dst']}", owner=[owner],
                                asset=[ftm_id(Label.COMPANY, e["dst"])],
                                percentage=[e["share"]], startDate=_date(e.get("since")),
                                endDate=_date(e.get("until"))))
    for rel, role in _ROLES.items():
        for i, e in enumerate(_rows(world.rels.get(rel))):
            entities.append(_entity("Directorship", f"dir-{rel.value.lower()}-{i}-{e['src']}",
                                    director=[ftm_id(Label.PERSON, e["src"])],
                                    organization=[ftm_id(Label.COMPANY, e["dst"])], role=[role],
                                    startDate=_date(e.get("since")),
                                    endDate=_date(e.get("until"))))
    records = {r["record_id"]: r for r in _rows(world.nodes.get(Label.CREDIT_RECORD))
               if r["category"] == "blacklist"}
    for e in _rows(world.rels.get(Rel.HAS_RECORD)):
        record = records.get(e["dst"])
        if record is None:
            continue
        entities.append(_entity("Sanction", f"sanction-{record['record_id']}",
                                entity=[ftm_id(Label(e["src_label"]), e["src"])],
                                authority=[record["agency"]], program=[record.get("kind") or ""],
                                startDate=_date(record.get("issued_on")),
                                endDate=_date(record.get("removed_on"))))
    with out.open("w", encoding="utf-8") as fh:
        for entity in entities:
            fh.write(json.dumps(entity, ensure_ascii=False) + "\n")
    return len(entities)

"""A world's entities → FollowTheMoney entities as JSON lines.

Company (``registrationNumber`` = USCC, ``addressEntity`` from REGISTERED_AT), Person, Address,
Ownership (HOLDS_EQUITY), Directorship (legal representatives, directors, supervisors, actual
controllers — ``role`` says which, in words graph.importers.ftm reads back), Family, Associate,
Sanction (blacklist records), PublicBody (buyers), Contract (tenders) and ContractAward (winning
bids: FtM has no losing bids; a tender's region and deadline have no FtM property), so the world
can be compared or merged with other FtM data (yente, nomenklatura, Aleph).

Entity ids: a company is ``co-<USCC>``; persons, addresses, tenders, winning bids and records
keep their natural key as id (so an import gives the same keys back); a key already used by
another entity is prefixed with its label. Relationship entities get ``<kind>-<src>-<dst>-<n>``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa

from graph.schema import BidStatus, Label, Rel
from graph.world_io import World

ROLE_WORDS = {Rel.LEGAL_REPRESENTATIVE_OF: "legal representative (法定代表人)",
              Rel.DIRECTOR_OF: "director (董事)", Rel.SUPERVISOR_OF: "supervisor (监事)",
              Rel.ACTUAL_CONTROLLER_OF: "actual controller (实际控制人)"}
CONTRACT_TYPE = {"works": "W", "goods": "U", "services": "S"}


def _rows(table: pa.Table | None) -> Iterator[dict[str, Any]]:
    if table is None:
        return
    for batch in table.to_batches(max_chunksize=50_000):
        yield from batch.to_pylist()


def _date(value: Any) -> list[str]:
    if value is None:
        return []
    return [value.isoformat()[:10] if hasattr(value, "isoformat") else str(value)[:10]]


def _entity(schema: str, entity_id: str, **props: list[Any]) -> dict[str, Any]:
    return {"id": entity_id, "schema": schema,
            "properties": {k: [str(x) for x in v if x is not None and x != ""]
                           for k, v in props.items() if any(x not in (None, "") for x in v)}}


class _Ids:
    """FtM ids per (label, key), unique across the whole export."""

    def __init__(self) -> None:
        self.by_key: dict[tuple[Label, str], str] = {}
        self.used: set[str] = set()

    def make(self, label: Label, key: str) -> str:
        candidate = f"co-{key}" if label == Label.COMPANY else key
        if candidate in self.used:
            candidate = f"{label.value.lower()}-{key}"
        self.used.add(candidate)
        self.by_key[(label, key)] = candidate
        return candidate

    def of(self, label: Label, key: str) -> str:
        return self.by_key.get((label, key)) or self.make(label, key)


def ftm_entities(world: World) -> Iterator[dict[str, Any]]:
    """The world as FollowTheMoney entities (things first, then the links between them)."""
    ids = _Ids()
    registered = {e["src"]: e["dst"] for e in _rows(world.rels.get(Rel.REGISTERED_AT))}
    for a in _rows(world.nodes.get(Label.ADDRESS)):
        yield _entity("Address", ids.make(Label.ADDRESS, a["address_id"]), full=[a["text"]])
    for c in _rows(world.nodes.get(Label.COMPANY)):
        address = registered.get(c["uscc"])
        yield _entity("Company", ids.make(Label.COMPANY, c["uscc"]), name=[c["name"]],
                      registrationNumber=[c["uscc"]], jurisdiction=["cn"],
                      incorporationDate=_date(c.get("founded_on")),
                      dissolutionDate=_date(c.get("dissolved_on")), status=[c.get("status")],
                      addressEntity=[ids.of(Label.ADDRESS, address)] if address else [])
    for p in _rows(world.nodes.get(Label.PERSON)):
        nationality = p.get("nationality")
        yield _entity("Person", ids.make(Label.PERSON, p["person_id"]), name=[p["name"]],
                      nationality=[str(nationality).lower()] if nationality else [])
    buyers: dict[str, str] = {}
    for t in _rows(world.nodes.get(Label.TENDER)):
        if t.get("buyer") and t["buyer"] not in buyers:
            buyers[t["buyer"]] = f"buyer-{len(buyers) + 1}"
            ids.used.add(buyers[t["buyer"]])
            yield _entity("PublicBody", buyers[t["buyer"]], name=[t["buyer"]],
                          jurisdiction=["cn"])
        yield _entity("Contract", ids.make(Label.TENDER, t["tender_id"]), title=[t.get("title")],
                      name=[t.get("title") or t["tender_id"]],
                      authority=[buyers.get(t.get("buyer") or "")],
                      type=[CONTRACT_TYPE.get(t["category"], t["category"])],
                      method=[t["procedure"]], contractDate=_date(t["published_on"]),
                      amount=[t.get("estimated_value")], currency=[t.get("currency")])
    yield from _links(world, ids)


def _links(world: World, ids: _Ids) -> Iterator[dict[str, Any]]:
    for i, e in enumerate(_rows(world.rels.get(Rel.HOLDS_EQUITY))):
        yield _entity("Ownership", f"own-{e['src']}-{e['dst']}-{i}",
                      owner=[ids.of(Label(e["src_label"]), e["src"])],
                      asset=[ids.of(Label.COMPANY, e["dst"])], percentage=[e["share"]],
                      startDate=_date(e.get("since")), endDate=_date(e.get("until")))
    for rel, role in ROLE_WORDS.items():
        for i, e in enumerate(_rows(world.rels.get(rel))):
            yield _entity("Directorship", f"dir-{rel.value.lower()}-{e['src']}-{e['dst']}-{i}",
                          director=[ids.of(Label.PERSON, e["src"])],
                          organization=[ids.of(Label.COMPANY, e["dst"])], role=[role],
                          startDate=_date(e.get("since")), endDate=_date(e.get("until")))
    for rel, schema, other in ((Rel.FAMILY_OF, "Family", "relative"),
                               (Rel.ASSOCIATE_OF, "Associate", "associate")):
        for i, e in enumerate(_rows(world.rels.get(rel))):
            yield _entity(schema, f"{schema.lower()}-{e['src']}-{e['dst']}-{i}",
                          person=[ids.of(Label.PERSON, e["src"])],
                          **{other: [ids.of(Label.PERSON, e["dst"])]},
                          relationship=[e.get("relationship")], startDate=_date(e.get("since")),
                          endDate=_date(e.get("until")))
    blacklist = {r["record_id"]: r for r in _rows(world.nodes.get(Label.CREDIT_RECORD))
                 if r["category"] == "blacklist"}
    for e in _rows(world.rels.get(Rel.HAS_RECORD)):
        record = blacklist.get(e["dst"])
        if record is not None:
            yield _entity("Sanction", ids.make(Label.CREDIT_RECORD, record["record_id"]),
                          entity=[ids.of(Label(e["src_label"]), e["src"])],
                          authority=[record["agency"]], program=[record.get("kind")],
                          startDate=_date(record.get("issued_on")),
                          endDate=_date(record.get("removed_on")))
    suppliers: dict[str, list[tuple[int, str]]] = {}
    for s in _rows(world.rels.get(Rel.SUBMITTED)):
        suppliers.setdefault(s["dst"], []).append((0 if s["role"] != "member" else 1, s["src"]))
    for b in _rows(world.nodes.get(Label.BID)):
        if b["status"] != BidStatus.WON.value:
            continue
        firms = [ids.of(Label.COMPANY, uscc) for _, uscc in sorted(suppliers.get(b["bid_id"], []))]
        yield _entity("ContractAward", ids.make(Label.BID, b["bid_id"]),
                      contract=[ids.of(Label.TENDER, b["tender_id"])], supplier=firms,
                      amount=[b["amount"]], currency=[b.get("currency")],
                      date=_date(b.get("submitted_at")))


def export_ftm(world: World, out: Path) -> int:
    """Write the world's entities and links as FtM JSON lines; return how many entities."""
    count = 0
    with out.open("w", encoding="utf-8") as fh:
        for entity in ftm_entities(world):
            fh.write(json.dumps(entity, ensure_ascii=False) + "\n")
            count += 1
    return count

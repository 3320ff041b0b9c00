"""A world's entities → FollowTheMoney entities as JSON lines.

Company (``registrationNumber`` = USCC, ``addressEntity`` from REGISTERED_AT), Person, Address,
Ownership (HOLDS_EQUITY), Directorship (legal representatives, directors, supervisors, actual
controllers — ``role`` says which, in words graph.importers.ftm reads back), Family, Associate,
Sanction (blacklist records), PublicBody (buyers), Contract (tenders) and ContractAward (winning
bids: FtM has no losing bids; a tender's region and deadline have no FtM property), so the world
can be compared or merged with other FtM data (yente, nomenklatura, Aleph).

Entity ids: whatever came from FollowTheMoney (``source`` ``ftm``) keeps its FtM id
(``source_id``: companies, people, addresses, links — a link mapped to several edges gives each
the same id, as fragments); otherwise a company is ``co-<key>``, persons, addresses, tenders,
winning bids and records keep their natural key, a key already used by another entity is
prefixed with its label, and relationship entities get ``<kind>-<src>-<dst>-<n>``. A company
keeps its schema (``entity_type``: Organization stays Organization) and its ``jurisdiction``
(``cn`` for USCC keys when none is stored); its key goes back to the property it came from
(``registrationNumber`` for a USCC or ``<cc>-registration:``, ``leiCode``, ``innCode``,
``ogrnCode``, ``uniqueEntityId``). People keep ``country`` and their RESIDES_AT addresses.
Companies and people give back every name: ``name`` (the name, then ``other_names``),
``alias``, ``previousName`` and ``weakAlias``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa

from riskgraph.graph.schema import BidStatus, Label, Rel
from riskgraph.graph.world_io import World

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

    def make(self, label: Label, key: str, row: dict[str, Any] | None = None) -> str:
        original = _ftm_id(row)
        candidate = original or (f"co-{key}" if label == Label.COMPANY else key)
        if candidate in self.used:
            candidate = f"{label.value.lower()}-{key}"
        self.used.add(candidate)
        self.by_key[(label, key)] = candidate
        return candidate

    def of(self, label: Label, key: str) -> str:
        return self.by_key.get((label, key)) or self.make(label, key)


def _ftm_id(row: dict[str, Any] | None) -> str | None:
    if row is not None and row.get("source") == "ftm" and row.get("source_id"):
        return str(row["source_id"])
    return None


SCHEMA_OF = {"company": "Company", "organization": "Organization",
             "legal_entity": "LegalEntity", "public_body": "PublicBody"}
_KEY_PROPERTY = {"lei": "leiCode", "ru-inn": "innCode", "ru-ogrn": "ogrnCode",
                 "us-uei": "uniqueEntityId"}


def _key_props(key: str) -> dict[str, list[Any]]:
    """The FtM property a firm key goes back to (none for ``ftm:<id>``: the id is the key)."""
    scheme, _, local = key.partition(":")
    if not local:
        return {"registrationNumber": [key]}
    if scheme in _KEY_PROPERTY:
        return {_KEY_PROPERTY[scheme]: [local]}
    if scheme.endswith("-registration"):
        return {"registrationNumber": [local]}
    return {}


def _names(row: dict[str, Any]) -> dict[str, list[Any]]:
    """FtM name properties of a company or person row (graph/importers/ftm.py's mapping)."""
    return {"name": [row["name"], *(row.get("other_names") or [])],
            "alias": list(row.get("aliases") or []),
            "previousName": list(row.get("previous_names") or []),
            "weakAlias": list(row.get("weak_aliases") or [])}


def ftm_entities(world: World) -> Iterator[dict[str, Any]]:
    """The world as FollowTheMoney entities (things first, then the links between them)."""
    ids = _Ids()
    addresses: dict[str, list[str]] = {}
    for rel in (Rel.REGISTERED_AT, Rel.RESIDES_AT):
        for e in _rows(world.rels.get(rel)):
            addresses.setdefault(e["src"], []).append(e["dst"])
    for a in _rows(world.nodes.get(Label.ADDRESS)):
        yield _entity("Address", ids.make(Label.ADDRESS, a["address_id"], a), full=[a["text"]])
    for c in _rows(world.nodes.get(Label.COMPANY)):
        key = c["uscc"]
        jurisdiction = c.get("jurisdiction") or ("cn" if ":" not in key else None)
        yield _entity(SCHEMA_OF.get(c.get("entity_type") or "company", "Company"),
                      ids.make(Label.COMPANY, key, c), **_names(c), **_key_props(key),
                      jurisdiction=[jurisdiction], incorporationDate=_date(c.get("founded_on")),
                      dissolutionDate=_date(c.get("dissolved_on")), status=[c.get("status")],
                      addressEntity=[ids.of(Label.ADDRESS, a) for a in addresses.get(key, [])])
    for p in _rows(world.nodes.get(Label.PERSON)):
        nationality, country = p.get("nationality"), p.get("country")
        yield _entity("Person", ids.make(Label.PERSON, p["person_id"], p), **_names(p),
                      nationality=[str(nationality).lower()] if nationality else [],
                      country=[str(country).lower()] if country else [],
                      addressEntity=[ids.of(Label.ADDRESS, a)
                                     for a in addresses.get(p["person_id"], [])])
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
        yield _entity("Ownership", _ftm_id(e) or f"own-{e['src']}-{e['dst']}-{i}",
                      owner=[ids.of(Label(e["src_label"]), e["src"])],
                      asset=[ids.of(Label.COMPANY, e["dst"])], percentage=[e["share"]],
                      startDate=_date(e.get("since")), endDate=_date(e.get("until")))
    for rel, role in ROLE_WORDS.items():
        for i, e in enumerate(_rows(world.rels.get(rel))):
            yield _entity("Directorship", _ftm_id(e)
                          or f"dir-{rel.value.lower()}-{e['src']}-{e['dst']}-{i}",
                          director=[ids.of(Label.PERSON, e["src"])],
                          organization=[ids.of(Label.COMPANY, e["dst"])], role=[role],
                          startDate=_date(e.get("since")), endDate=_date(e.get("until")))
    for rel, schema, other in ((Rel.FAMILY_OF, "Family", "relative"),
                               (Rel.ASSOCIATE_OF, "Associate", "associate")):
        for i, e in enumerate(_rows(world.rels.get(rel))):
            yield _entity(schema, _ftm_id(e) or f"{schema.lower()}-{e['src']}-{e['dst']}-{i}",
                          person=[ids.of(Label.PERSON, e["src"])],
                          **{other: [ids.of(Label.PERSON, e["dst"])]},
                          relationship=[e.get("relationship")], startDate=_date(e.get("since")),
                          endDate=_date(e.get("until")))
    blacklist = {r["record_id"]: r for r in _rows(world.nodes.get(Label.CREDIT_RECORD))
                 if r["category"] == "blacklist"}
    subjects: dict[str, list[str]] = {}
    for e in _rows(world.rels.get(Rel.HAS_RECORD)):
        if e["dst"] in blacklist:
            subjects.setdefault(e["dst"], []).append(ids.of(Label(e["src_label"]), e["src"]))
    for record_id, entities in subjects.items():
        record = blacklist[record_id]
        yield _entity("Sanction", ids.make(Label.CREDIT_RECORD, record_id, record),
                      entity=entities, authority=[record["agency"]],
                      program=[record.get("kind")], startDate=_date(record.get("issued_on")),
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

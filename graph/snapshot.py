"""A columnar snapshot of the registry graph for bulk risk computation.

The risk engine never queries Neo4j once per firm. It reads the graph with a handful of bulk
catalog statements (``cypher/snapshot/*.cypher``: companies, persons, roles, group links,
supplies, registrations, bids, credit records), each returning parallel lists in one row, into
numpy arrays indexed by position (firm ``i`` is ``uscc[i]``). Point-in-time filtering happens
later, in ``models.risk.features``, from the dates kept here: nothing in a snapshot is pre-filtered
by date, so the same snapshot serves every as-of date.

Dates are ``int32`` days since 1970-01-01. An unknown start (``since``, ``founded_on``) is
``DAY_MIN``; an open end (``until``, ``removed_on``, ``dissolved_on``) is ``DAY_MAX``.

``Snapshot.from_world(dir)`` builds the same arrays from a world directory (Parquet or CSV), so
benchmarks and unit tests can run without a server; an integration test checks both agree.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
from neo4j import Driver, RoutingControl

from riskgraph.graph.catalog import query
from riskgraph.graph.errors import BadInput
from riskgraph.graph.firm_links import fold_firms
from riskgraph.graph.key_index import index_of
from riskgraph.graph.schema import RECORD_KINDS, Label, Rel, pci_categories
from riskgraph.graph.world_io import read_world

IntArray = npt.NDArray[np.int64]
I32 = npt.NDArray[np.int32]
I8 = npt.NDArray[np.int8]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
StrArray = npt.NDArray[np.object_]

EPOCH = dt.date(1970, 1, 1)
DAY_MIN = -1_000_000
DAY_MAX = 1_000_000

KINDS: tuple[str, ...] = tuple(RECORD_KINDS)
"""Record kinds in code order (``rec_kind`` indexes this; -1 is a kind the schema does not know)."""
ROLES = ("LEGAL_REPRESENTATIVE_OF", "DIRECTOR_OF", "SUPERVISOR_OF", "ACTUAL_CONTROLLER_OF")
LR, DIRECTOR, SUPERVISOR, CONTROLLER = 0, 1, 2, 3
SUBSIDIARY, BRANCH = 0, 1
SHARED_KINDS = (Rel.HELD_BY.value, Rel.HAS_LEGAL_NAME.value)
HOLDER, LEGAL_NAME = 0, 1
SEVERITIES = ("general", "serious", "particularly_serious")
OUTCOMES = ("no_violation", "violation", "serious_violation")
STREAMS = ("random", "targeted", "routine", "complaint", "follow_up")
BID_ROLES = ("sole", "lead", "member")
BID_STATUSES = ("won", "lost", "disqualified")
POLARITIES = ("positive", "negative", "neutral")


def day_of(date: dt.date) -> int:
    """Days since 1970-01-01."""
    return (date - EPOCH).days


def date_of(day: int) -> dt.date:
    return EPOCH + dt.timedelta(days=int(day))


def ymd_to_days(values: Any, missing: int) -> I32:
    """yyyymmdd integers (-1 unknown) → days since the epoch, ``missing`` where unknown."""
    a = np.asarray(values, dtype=np.int64)
    known = a > 0
    y, m, d = a // 10000, (a // 100) % 100, a % 100
    months = (np.where(known, y, 1970) - 1970) * 12 + np.where(known, m, 1) - 1
    days = months.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
    days = days + np.where(known, d, 1) - 1
    return np.where(known, days, missing).astype(np.int32)


def codes(values: Any, vocabulary: tuple[str, ...]) -> I8 | npt.NDArray[np.int16]:
    """Positions of ``values`` in ``vocabulary`` (-1 for anything else, a missing value too).

    Values are matched as text (``str(v)``), each distinct one once (a hash pass, no string
    sort: records are millions)."""
    arr = np.asarray(values, dtype=object)
    if len(arr) == 0:
        return np.zeros(0, dtype=np.int16)
    lookup = {v: i for i, v in enumerate(vocabulary)}
    if "None" in lookup or "nan" in lookup:  # a missing value would then have a code
        uniq, inverse = np.unique(arr.astype(str), return_inverse=True)
        return np.array([lookup.get(str(u), -1) for u in uniq], dtype=np.int16)[inverse]
    try:  # None and NaN are nulls; every other value one dictionary entry
        encoded = pa.array(arr, from_pandas=True).dictionary_encode()
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # values of mixed types: as text, each once
        uniq, inverse = np.unique(arr.astype(str), return_inverse=True)
        return np.array([lookup.get(str(u), -1) for u in uniq], dtype=np.int16)[inverse]
    distinct = encoded.dictionary.to_pylist()
    table = np.array([lookup.get(str(u), -1) for u in distinct] + [-1], dtype=np.int16)
    # a missing value (a null index, filled with -1) takes the table's last entry, -1
    out: npt.NDArray[np.int16] = table[encoded.indices.fill_null(-1).to_numpy()]
    return out


@dataclass
class Snapshot:
    """The graph as arrays. Firms, persons and records are indexed by position."""

    # companies (n)
    uscc: StrArray
    company_node: IntArray
    region: StrArray
    industry: StrArray
    ownership: StrArray
    founded: I32
    dissolved: I32
    employees: FloatArray
    listed: BoolArray
    # persons (m)
    person_id: StrArray
    person_node: IntArray
    political: BoolArray
    # key-personnel roles
    role_person: IntArray
    role_firm: IntArray
    role_type: I8
    role_since: I32
    role_until: I32
    # group structure (child → parent / head office)
    link_child: IntArray
    link_parent: IntArray
    link_kind: I8
    link_since: I32
    link_until: I32
    # supplies (supplier → customer)
    sup_supplier: IntArray
    sup_customer: IntArray
    sup_value: FloatArray
    sup_since: I32
    sup_until: I32
    # registered addresses and contact points (target ids are opaque integers)
    addr_firm: IntArray
    addr_id: IntArray
    addr_since: I32
    addr_until: I32
    contact_firm: IntArray
    contact_id: IntArray
    contact_since: I32
    contact_until: I32
    # registry links: licence holders (kind HOLDER) and normalised legal names (LEGAL_NAME)
    shared_firm: IntArray
    shared_id: IntArray
    shared_kind: I8
    shared_since: I32
    shared_until: I32
    # bids
    bid_firm: IntArray
    bid_tender: IntArray
    bid_id: IntArray
    bid_role: I8
    bid_status: I8
    bid_published: I32
    bid_deadline: I32
    # credit records (subject: firm index, or person index when rec_on_person)
    rec_node: IntArray
    """The record's row (kept for saved snapshots; records are found by ``rec_id``)."""
    rec_subject: IntArray
    rec_on_person: BoolArray
    rec_kind: npt.NDArray[np.int16]
    rec_category: npt.NDArray[np.int16]
    rec_negative: BoolArray
    rec_issued: I32
    rec_removed: I32
    rec_severity: I8
    rec_amount: FloatArray
    rec_outcome: I8
    rec_stream: I8
    rec_tax_agency: BoolArray
    rec_id: StrArray
    """``record_id`` of each record (inspection-level event tables join on it)."""
    # entity resolution (graph/store/resolution.py): the SAME_AS links a feature counts, from a
    # person to a resolved entity (an opaque integer), with the first and the day after the last day
    # they count (:meth:`Snapshot.with_links` sets them by the resolution rule); empty when
    # nothing was resolved
    same_person: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    same_entity: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    same_since: I32 = field(default_factory=lambda: np.zeros(0, dtype=np.int32))
    same_until: I32 = field(default_factory=lambda: np.zeros(0, dtype=np.int32))

    @property
    def n_firms(self) -> int:
        return len(self.uscc)

    @property
    def n_persons(self) -> int:
        return len(self.person_id)

    @property
    def data_end(self) -> int:
        """The last day any record was issued (the snapshot's horizon)."""
        return int(self.rec_issued.max()) if len(self.rec_issued) else day_of(dt.date.today())

    def digest(self) -> str:
        """sha256 over the content: the data-snapshot hash stamped on model artifacts and
        ranking runs. Rows are put in a canonical order and internal node ids are left out, so
        the same data gives the same hash however the graph returns it."""
        firm, person = _ranks(self.uscc), _ranks(self.person_id)
        subject = np.empty(len(self.rec_subject), dtype=np.int64)
        on_person = self.rec_on_person
        subject[on_person] = person[self.rec_subject[on_person]] + len(firm)
        subject[~on_person] = firm[self.rec_subject[~on_person]]
        h = hashlib.sha256()
        tables: dict[str, list[npt.NDArray[Any]]] = {
            "firms": [firm, self.region, self.industry, self.ownership, self.founded,
                      self.dissolved, self.employees, self.listed],
            "persons": [person, self.political],
            "roles": [firm[self.role_firm], person[self.role_person], self.role_type,
                      self.role_since, self.role_until],
            "links": [firm[self.link_child], firm[self.link_parent], self.link_kind,
                      self.link_since, self.link_until],
            "supplies": [firm[self.sup_supplier], firm[self.sup_customer], self.sup_value,
                         self.sup_since, self.sup_until],
            "addresses": [firm[self.addr_firm], self.addr_id, self.addr_since, self.addr_until],
            "contacts": [firm[self.contact_firm], self.contact_id, self.contact_since,
                         self.contact_until],
            "bids": [firm[self.bid_firm], self.bid_tender, self.bid_id, self.bid_role,
                     self.bid_status, self.bid_published, self.bid_deadline],
            "records": [subject, self.rec_kind, self.rec_category, self.rec_negative,
                        self.rec_issued, self.rec_removed, self.rec_severity, self.rec_amount,
                        self.rec_outcome, self.rec_stream, self.rec_tax_agency],
        }
        if len(self.same_person):  # a graph without resolution keeps its digest
            tables["same_as"] = [person[self.same_person], self.same_entity, self.same_since,
                                 self.same_until]
        if len(self.shared_firm):  # worlds without registry links keep their digest
            tables["shared"] = [firm[self.shared_firm], self.shared_id, self.shared_kind,
                                self.shared_since, self.shared_until]
        for name, cols in tables.items():
            keys = [c for c in cols if c.dtype != object]
            order = np.lexsort(keys[::-1]) if len(cols[0]) else np.arange(0)
            h.update(name.encode())
            for col in cols:
                part = col[order]
                if part.dtype == object:
                    h.update("\x1f".join(map(str, part.tolist())).encode())
                else:
                    h.update(np.ascontiguousarray(part).tobytes())
        return h.hexdigest()

    def with_resolution(self, person_ids: Any, entity_ids: Any, since: Any,
                        until: Any) -> Snapshot:
        """A copy carrying these SAME_AS links (person_id, entity key, decided day, retired
        day or DAY_MAX); links of persons not in the snapshot are dropped."""
        person = index_of(self.person_id.astype(str), np.asarray(person_ids, dtype=str))
        ok = person >= 0
        return replace(self, same_person=person[ok],
                       same_entity=_hash_ids(np.asarray(entity_ids, dtype=object))[ok],
                       same_since=np.asarray(since, dtype=np.int32)[ok],
                       same_until=np.asarray(until, dtype=np.int32)[ok])

    def first_seen(self) -> I32:
        """Per person: the first day the record appears in the data (its earliest role or
        person record); DAY_MIN for a record with no dated fact."""
        out = np.full(self.n_persons, DAY_MAX, dtype=np.int32)
        np.minimum.at(out, self.role_person, self.role_since)
        on = self.rec_on_person
        np.minimum.at(out, self.rec_subject[on], self.rec_issued[on])
        out[out == DAY_MAX] = DAY_MIN
        return out

    def with_links(self, person_ids: Any, entity_ids: Any) -> Snapshot:
        """A copy carrying the SAME_AS links in force (person_id, entity key), counted by the
        resolution rule (docs/entity-resolution.md, "Point in time"): identity is not an event,
        so a link counts from the first day its person record appears in the data, whenever the
        decision was taken; a link retired by a split or a move is a corrected error and is not
        passed here, so it counts at no date. Training panels and today's scoring therefore see
        the same people (no train/serve skew)."""
        person = index_of(self.person_id.astype(str), np.asarray(person_ids, dtype=str))
        since = np.where(person >= 0, self.first_seen()[np.maximum(person, 0)], DAY_MIN)
        return self.with_resolution(person_ids, entity_ids, since,
                                    np.full(len(person), DAY_MAX, dtype=np.int32))

    def person_of(self, t: int) -> IntArray:
        """Per person: who it counts as at day ``t``. A person with a SAME_AS link counting at
        ``t`` counts as its resolved entity (numbered ``n_persons + entity``), every other person
        as itself."""
        out = np.arange(self.n_persons, dtype=np.int64)
        ok = (self.same_since <= t) & (self.same_until > t)
        out[self.same_person[ok]] = self.n_persons + self.same_entity[ok]
        return out

    @property
    def n_people(self) -> int:
        """Size of the resolved person index (persons, then resolved entities)."""
        return self.n_persons + (int(self.same_entity.max()) + 1 if len(self.same_entity) else 0)

    def firm_index(self, uscc: str) -> int | None:
        hits = np.nonzero(self.uscc == uscc)[0]
        return int(hits[0]) if len(hits) else None

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        arrays = {f.name: getattr(self, f.name) for f in fields(self)}
        arrays = {k: (v.astype(str) if v.dtype == object else v) for k, v in arrays.items()}
        with path.open("wb") as fh:
            np.savez(fh, **arrays)

    @classmethod
    def load(cls, path: Path) -> Snapshot:
        with np.load(path, allow_pickle=False) as data:
            # snapshots saved before registry links were read have none
            values: dict[str, Any] = {
                f.name: data[f.name] if f.name in data else np.zeros(0, dtype=np.int64)
                for f in fields(cls)}
        values = {k: (v.astype(object) if v.dtype.kind == "U" else v) for k, v in values.items()}
        return cls(**values)

    # ----------------------------------------------------------------------------------------
    @classmethod
    def from_neo4j(cls, driver: Driver, database: str) -> Snapshot:
        """Read the whole graph with the ``snapshot/*`` catalog statements (one row each)."""
        db = database

        def one(name: str) -> dict[str, Any]:
            records, _, _ = driver.execute_query(query(f"snapshot/{name}"), {}, database_=db,
                                                 routing_=RoutingControl.READ)
            return dict(records[0].data()) if records else {}

        comp, pers, roles = one("list_companies"), one("list_persons"), one("list_roles")
        links, sup = one("list_corporate_links"), one("list_supplies")
        reg = one("list_registrations")
        bids, recs = one("list_bids"), one("list_credit_records")
        # Rows join on natural keys (uscc, person_id), not internal node ids; a node's
        # number is its row, as in a snapshot read from world files.
        company_key = np.asarray(comp.get("uscc", []), dtype=str)
        person_key = np.asarray(pers.get("person_id", []), dtype=str)
        company_node = np.arange(len(company_key), dtype=np.int64)
        person_node = np.arange(len(person_key), dtype=np.int64)

        def firm(ids: Any) -> IntArray:
            return index_of(company_key, np.asarray(ids, dtype=str))

        def keys(table: dict[str, Any], name: str) -> IntArray:
            """Natural keys → integers that depend only on the set of keys."""
            return _hash_ids(np.asarray(table.get(name, []), dtype=object))

        def person(ids: Any) -> IntArray:
            return index_of(person_key, np.asarray(ids, dtype=str))

        reg_kind = np.asarray(reg.get("kind", []), dtype=object)
        on_person = np.asarray(recs.get("on_person", []), dtype=bool)
        subject_ids = np.asarray(recs.get("subject", []), dtype=str)
        subject = np.where(on_person, person(subject_ids), firm(subject_ids))
        columns: dict[str, Any] = {
            "uscc": comp.get("uscc", []), "company_node": company_node,
            "region": comp.get("region_code", []), "industry": comp.get("industry_code", []),
            "ownership": comp.get("ownership_type", []),
            "founded": comp.get("founded_on", []), "dissolved": comp.get("dissolved_on", []),
            "employees": comp.get("employees", []), "listed": comp.get("listed", []),
            "person_id": pers.get("person_id", []), "person_node": person_node,
            "political": pers.get("political_connection", []),
            "role_person": person(roles.get("person", [])),
            "role_firm": firm(roles.get("company", [])), "role": roles.get("role", []),
            "role_since": roles.get("since", []), "role_until": roles.get("until", []),
            "link_child": firm(links.get("child", [])),
            "link_parent": firm(links.get("parent", [])), "link_kind": links.get("kind", []),
            "link_since": links.get("since", []), "link_until": links.get("until", []),
            "sup_supplier": firm(sup.get("supplier", [])),
            "sup_customer": firm(sup.get("customer", [])),
            "sup_value": sup.get("annual_value", []), "sup_since": sup.get("since", []),
            "sup_until": sup.get("until", []),
            "reg_firm": firm(reg.get("company", [])), "reg_target": keys(reg, "target"),
            "reg_kind": reg_kind, "reg_since": reg.get("since", []),
            "reg_until": reg.get("until", []),
            "bid_firm": firm(bids.get("company", [])), "bid_tender": keys(bids, "tender"),
            "bid_id": keys(bids, "bid"), "bid_role": bids.get("role", []),
            "bid_status": bids.get("status", []), "bid_published": bids.get("published_on", []),
            "bid_deadline": bids.get("deadline", []),
            "rec_node": np.arange(len(on_person), dtype=np.int64), "rec_subject": subject,
            "rec_on_person": on_person,
            "rec_kind": recs.get("kind", []), "rec_category": recs.get("category", []),
            "rec_polarity": recs.get("polarity", []), "rec_outcome": recs.get("outcome", []),
            "rec_issued": recs.get("issued_on", []), "rec_removed": recs.get("removed_on", []),
            "rec_severity": recs.get("severity", []), "rec_amount": recs.get("amount", []),
            "rec_stream": recs.get("stream", []), "rec_tax_agency": recs.get("tax_agency", []),
            "rec_id": recs.get("record_id", []),
        }
        same = one("list_same_as")
        snap = _assemble(columns, ymd=True).with_links(same.get("person", []),
                                                       same.get("entity", []))
        firms = one("list_company_same_as")  # firms through their SAME_AS
        return fold_firms(snap, firms.get("company", []), firms.get("entity", []))

    @classmethod
    def from_world(cls, directory: Path) -> Snapshot:
        """The same arrays from a world directory (``nodes/``, ``rels/``), without a server."""
        snap = cls._from_world_tables(directory)
        # Arrow's allocator keeps the freed tables (about as much again as the snapshot at
        # 300k firms, several GiB at 1M): hand them back before the features need memory
        pa.default_memory_pool().release_unused()
        return snap

    @classmethod
    def _from_world_tables(cls, directory: Path) -> Snapshot:
        world = read_world(directory, columns=WORLD_COLUMNS)
        if Label.COMPANY not in world.nodes:
            raise BadInput(f"{directory} has no Company table")
        # Keys, codes and texts stay in Arrow until they are arrays: no Python string per
        # cell but the snapshot's own (uscc, person_id, rec_id); repeated texts share one.

        def node(label: Label) -> pa.Table:
            return world.nodes.pop(label, pa.table({}))

        def rel(r: Rel) -> pa.Table:
            return world.rels.pop(r, pa.table({"src": pa.array([], pa.string()),
                                               "dst": pa.array([], pa.string())}))

        def days(t: pa.Table, name: str) -> npt.NDArray[Any]:
            if name not in t.column_names:
                return np.full(t.num_rows, _NULL_DAY, dtype=np.int64)
            c = t[name]
            if pa.types.is_string(c.type):
                c = pc.cast(c, pa.date32())
            raw = pc.fill_null(pc.cast(c.cast(pa.date32()), pa.int32()), _NULL_DAY)
            return np.asarray(raw.to_numpy(zero_copy_only=False), dtype=np.int64)

        comp = node(Label.COMPANY)
        uscc = _objects(_column(comp, "uscc"))
        company_node = np.arange(len(uscc), dtype=np.int64)
        pers = node(Label.PERSON)
        person_id = _objects(_column(pers, "person_id"))
        firm_keys, person_keys = _key(_column(comp, "uscc")), _key(_column(pers, "person_id"))

        def firm(keys: pa.Array) -> IntArray:
            return _index_in(firm_keys, _key(keys))

        def person(keys: pa.Array) -> IntArray:
            return _index_in(person_keys, _key(keys))

        def cat(parts: list[npt.NDArray[Any]]) -> npt.NDArray[Any]:
            return np.concatenate(parts) if parts else np.zeros(0)

        columns: dict[str, Any] = {
            "uscc": uscc, "company_node": company_node,
            "region": _texts(_column(comp, "region_code")),
            "industry": _texts(_column(comp, "industry_code")),
            "ownership": _texts(_column(comp, "ownership_type")),
            "founded": days(comp, "founded_on"), "dissolved": days(comp, "dissolved_on"),
            "employees": np.nan_to_num(_floats(_column(comp, "employees")), nan=-1.0),
            "listed": _flags(_column(comp, "listed")),
            "person_id": person_id, "person_node": np.arange(len(person_id), dtype=np.int64),
            "political": _flags(_column(pers, "political_connection")),
        }
        del comp, pers
        for prefix, rels, person_first in (
                ("role", (Rel.LEGAL_REPRESENTATIVE_OF, Rel.DIRECTOR_OF, Rel.SUPERVISOR_OF,
                          Rel.ACTUAL_CONTROLLER_OF), True),
                ("link", (Rel.SUBSIDIARY_OF, Rel.BRANCH_OF), False),
                ("reg", (Rel.REGISTERED_AT, Rel.HAS_CONTACT, Rel.HELD_BY,
                         Rel.HAS_LEGAL_NAME), False)):
            src, dst, kind, since, until = [], [], [], [], []
            for r in rels:
                t = rel(r)
                src.append(person(_column(t, "src")) if person_first else
                           firm(_column(t, "src")))
                dst.append(firm(_column(t, "dst")) if prefix != "reg" else
                           _hash_ids(_column(t, "dst")))
                kind.append(np.full(t.num_rows, r.value, dtype=object))
                since.append(days(t, "since"))
                until.append(days(t, "until"))
            names = {"role": ("role_person", "role_firm", "role"),
                     "link": ("link_child", "link_parent", "link_kind"),
                     "reg": ("reg_firm", "reg_target", "reg_kind")}[prefix]
            columns.update({names[0]: cat(src), names[1]: cat(dst), names[2]: cat(kind),
                            f"{prefix}_since": cat(since), f"{prefix}_until": cat(until)})
        sup = rel(Rel.SUPPLIES)
        columns.update({
            "sup_supplier": firm(_column(sup, "src")), "sup_customer": firm(_column(sup, "dst")),
            "sup_value": np.nan_to_num(_floats(_column(sup, "annual_value")), nan=-1.0),
            "sup_since": days(sup, "since"), "sup_until": days(sup, "until")})
        del sup
        sub = rel(Rel.SUBMITTED)
        bid_nodes, tenders = node(Label.BID), node(Label.TENDER)
        b_at = _index_in(_key(_column(bid_nodes, "bid_id")), _key(_column(sub, "dst")))
        t_at = _index_in(_key(_column(tenders, "tender_id")),
                         _key(_column(bid_nodes, "tender_id")))
        t_pub, t_dead = days(tenders, "published_on"), days(tenders, "deadline")
        bid_tender = np.where(b_at >= 0, t_at[np.maximum(b_at, 0)], -1)
        status = (_texts(_column(bid_nodes, "status").take(pa.array(np.maximum(b_at, 0))))
                  if bid_nodes.num_rows else np.full(len(b_at), "", dtype=object))
        status[b_at < 0] = ""
        columns.update({
            "bid_firm": firm(_column(sub, "src")), "bid_tender": bid_tender, "bid_id": b_at,
            "bid_role": _texts(_column(sub, "role")), "bid_status": status,
            "bid_published": np.where(bid_tender >= 0, t_pub[np.maximum(bid_tender, 0)],
                                      _NULL_DAY),
            "bid_deadline": np.where(bid_tender >= 0, t_dead[np.maximum(bid_tender, 0)],
                                     _NULL_DAY)})
        del sub, bid_nodes, tenders
        has = rel(Rel.HAS_RECORD)
        rec = node(Label.CREDIT_RECORD)
        r_at = _index_in(_key(_column(rec, "record_id")), _key(_column(has, "dst")))
        if "src_label" in has.column_names:
            on_person = np.asarray(pc.fill_null(pc.equal(_key(_column(has, "src_label")),
                                                         Label.PERSON.value), False))
        else:
            on_person = np.zeros(has.num_rows, dtype=bool)
        src = _column(has, "src")
        subject = np.where(on_person, person(src), firm(src))
        del has, src
        ok = r_at >= 0
        r_at, subject, on_person = r_at[ok], subject[ok], on_person[ok]
        rec = rec.take(pa.array(r_at))

        texts = {name: _texts(_column(rec, src)) for name, src in (
            ("rec_kind", "kind"), ("rec_category", "category"), ("rec_polarity", "polarity"),
            ("rec_outcome", "outcome"), ("rec_severity", "severity"), ("rec_stream", "stream"))}
        columns.update({
            "rec_node": r_at.astype(np.int64), "rec_subject": subject,
            "rec_on_person": on_person, **texts,
            "rec_issued": days(rec, "issued_on"), "rec_removed": days(rec, "removed_on"),
            "rec_amount": np.nan_to_num(_floats(_column(rec, "amount")), nan=-1.0),
            "rec_tax_agency": _tax_agency(_column(rec, "agency")),
            "rec_id": _texts(_column(rec, "record_id"), intern=False)})
        del rec
        return _assemble(columns, ymd=False)


WORLD_COLUMNS: dict[str, tuple[str, ...]] = {
    Label.COMPANY.value: ("uscc", "region_code", "industry_code", "ownership_type",
                          "founded_on", "dissolved_on", "employees", "listed"),
    Label.PERSON.value: ("person_id", "political_connection"),
    Label.BID.value: ("bid_id", "tender_id", "status"),
    Label.TENDER.value: ("tender_id", "published_on", "deadline"),
    Label.CREDIT_RECORD.value: ("record_id", "kind", "category", "polarity", "outcome",
                                "issued_on", "removed_on", "severity", "amount", "stream",
                                "agency"),
    **{r.value: ("src", "dst", "since", "until")
       for r in (Rel.LEGAL_REPRESENTATIVE_OF, Rel.DIRECTOR_OF, Rel.SUPERVISOR_OF,
                 Rel.ACTUAL_CONTROLLER_OF, Rel.SUBSIDIARY_OF, Rel.BRANCH_OF,
                 Rel.REGISTERED_AT, Rel.HAS_CONTACT, Rel.HELD_BY, Rel.HAS_LEGAL_NAME)},
    Rel.SUPPLIES.value: ("src", "dst", "annual_value", "since", "until"),
    Rel.SUBMITTED.value: ("src", "dst", "role"),
    Rel.HAS_RECORD.value: ("src", "dst", "src_label"),
}
"""The tables and columns a snapshot reads from a world (no other is read)."""


def _column(t: pa.Table, name: str) -> pa.Array:
    """One column as one Arrow array; all nulls when the table has no such column."""
    if name not in t.column_names:
        return pa.nulls(t.num_rows)
    return t[name].combine_chunks()


def _key(a: pa.Array) -> pa.Array:
    """Keys as text, as numpy's ``astype(str)`` spells them (a missing key is ``"None"``)."""
    if not pa.types.is_string(a.type):
        a = pc.cast(a, pa.string())
    return pc.fill_null(a, "None")


def _index_in(keys: pa.Array, wanted: pa.Array) -> IntArray:
    """:func:`graph.key_index.index_of` on Arrow text arrays."""
    if len(keys) == 0 or len(wanted) == 0:
        return np.full(len(wanted), -1, dtype=np.int64)
    at = pc.index_in(wanted, value_set=keys)
    return np.asarray(at.fill_null(-1).to_numpy(zero_copy_only=False), dtype=np.int64)


def _objects(a: pa.Array) -> StrArray:
    """An Arrow column as an object array (None where null), as ``to_numpy`` gives it."""
    return np.asarray(a.to_numpy(zero_copy_only=False), dtype=object)


def _texts(a: pa.Array, *, intern: bool = True) -> StrArray:
    """:func:`_text` of an Arrow column: ``""`` for a null; each distinct text one object
    (``intern``) when the column is text."""
    if not (pa.types.is_string(a.type) or pa.types.is_null(a.type)):
        return _text(_objects(a))
    a = a.cast(pa.string())
    if not intern:
        return _objects(pc.fill_null(a, ""))
    d = pc.dictionary_encode(a, null_encoding="encode")
    words = np.asarray(["" if v is None else v for v in d.dictionary.to_pylist()] or [""],
                       dtype=object)
    return words[np.asarray(d.indices.to_numpy(zero_copy_only=False), dtype=np.int64)]


def _floats(a: pa.Array) -> FloatArray:
    """:func:`pd_float` of an Arrow column (NaN for a null)."""
    if pa.types.is_integer(a.type) or pa.types.is_floating(a.type) or pa.types.is_null(a.type):
        return np.asarray(pc.cast(a, pa.float64()).to_numpy(zero_copy_only=False),
                          dtype=np.float64)
    return pd_float(_objects(a))


def _flags(a: pa.Array) -> BoolArray:
    """``bool(v)``, False for a null, of an Arrow column."""
    if pa.types.is_boolean(a.type) or pa.types.is_null(a.type):
        return np.asarray(pc.fill_null(a.cast(pa.bool_()), False)
                          .to_numpy(zero_copy_only=False), dtype=bool)
    return np.asarray([bool(v) if v is not None else False for v in _objects(a).tolist()],
                      dtype=bool)


def _tax_agency(a: pa.Array) -> BoolArray:
    """Whether the record's agency names a tax authority ("Tax" in it)."""
    if not pa.types.is_string(a.type):
        return np.zeros(len(a), dtype=bool)
    return np.asarray(pc.fill_null(pc.match_substring(a, "Tax"), False)
                      .to_numpy(zero_copy_only=False), dtype=bool)


_NULL_DAY = -(10**9)


def pd_float(values: npt.NDArray[Any]) -> FloatArray:
    """Object or numeric column → float64 with NaN for missing."""
    out = np.full(len(values), np.nan)
    for i, v in enumerate(values.tolist()):
        if v is not None and v == v:
            out[i] = float(v)
    return out


def _text(values: npt.NDArray[Any]) -> StrArray:
    return np.asarray(["" if v is None else str(v) for v in values.tolist()], dtype=object)


def _ranks(keys: npt.NDArray[Any]) -> IntArray:
    """Each key's position in sorted order: a row index that does not depend on row order."""
    out = np.empty(len(keys), dtype=np.int64)
    out[np.argsort(keys.astype(str), kind="stable")] = np.arange(len(keys))
    return out


def _hash_ids(values: npt.NDArray[Any] | pa.Array) -> IntArray:
    """Each value's rank among the distinct values (as text, sorted)."""
    if isinstance(values, pa.Array):
        keys = _key(values)
        distinct = pc.unique(keys)
        distinct = distinct.take(pc.sort_indices(distinct))
        return _index_in(distinct, keys)
    uniq, inverse = np.unique(np.asarray(values).astype(str), return_inverse=True)
    del uniq
    return inverse.astype(np.int64)


def _assemble(c: dict[str, Any], *, ymd: bool) -> Snapshot:
    """Typed arrays from raw columns; drops edges whose endpoints are unknown."""

    def start(v: Any) -> I32:
        if ymd:
            return ymd_to_days(v, DAY_MIN)
        a = np.asarray(v, dtype=np.int64)
        return np.where(a < -500_000, DAY_MIN, a).astype(np.int32)

    def end(v: Any) -> I32:
        if ymd:
            return ymd_to_days(v, DAY_MAX)
        a = np.asarray(v, dtype=np.int64)
        return np.where(a < -500_000, DAY_MAX, a).astype(np.int32)

    def ints(v: Any) -> IntArray:
        return np.asarray(v, dtype=np.int64)

    def obj(v: Any) -> StrArray:
        return np.asarray(v, dtype=object)

    roles_ok = (ints(c["role_person"]) >= 0) & (ints(c["role_firm"]) >= 0)
    links_ok = (ints(c["link_child"]) >= 0) & (ints(c["link_parent"]) >= 0)
    sup_ok = (ints(c["sup_supplier"]) >= 0) & (ints(c["sup_customer"]) >= 0)
    reg_ok = ints(c["reg_firm"]) >= 0
    bid_ok = (ints(c["bid_firm"]) >= 0) & (ints(c["bid_tender"]) >= 0)
    rec_ok = ints(c["rec_subject"]) >= 0
    reg_kind = np.asarray(c["reg_kind"], dtype=object)
    at = (reg_kind == Rel.REGISTERED_AT.value) & reg_ok
    contact = (reg_kind == Rel.HAS_CONTACT.value) & reg_ok
    shared = np.isin(reg_kind, SHARED_KINDS) & reg_ok
    link_kind = codes(c["link_kind"], (Rel.SUBSIDIARY_OF.value, Rel.BRANCH_OF.value))
    polarity = codes(c["rec_polarity"], POLARITIES)
    outcome = codes(c["rec_outcome"], OUTCOMES)
    negative = (polarity == 1) | (outcome >= 1)
    return Snapshot(
        uscc=obj(c["uscc"]), company_node=ints(c["company_node"]), region=obj(c["region"]),
        industry=obj(c["industry"]), ownership=obj(c["ownership"]),
        founded=start(c["founded"]), dissolved=end(c["dissolved"]),
        employees=np.asarray(c["employees"], dtype=np.float64),
        listed=np.asarray(c["listed"], dtype=bool),
        person_id=obj(c["person_id"]), person_node=ints(c["person_node"]),
        political=np.asarray(c["political"], dtype=bool),
        role_person=ints(c["role_person"])[roles_ok], role_firm=ints(c["role_firm"])[roles_ok],
        role_type=codes(c["role"], ROLES).astype(np.int8)[roles_ok],
        role_since=start(c["role_since"])[roles_ok], role_until=end(c["role_until"])[roles_ok],
        link_child=ints(c["link_child"])[links_ok], link_parent=ints(c["link_parent"])[links_ok],
        link_kind=link_kind.astype(np.int8)[links_ok],
        link_since=start(c["link_since"])[links_ok], link_until=end(c["link_until"])[links_ok],
        sup_supplier=ints(c["sup_supplier"])[sup_ok], sup_customer=ints(c["sup_customer"])[sup_ok],
        sup_value=np.asarray(c["sup_value"], dtype=np.float64)[sup_ok],
        sup_since=start(c["sup_since"])[sup_ok], sup_until=end(c["sup_until"])[sup_ok],
        addr_firm=ints(c["reg_firm"])[at], addr_id=ints(c["reg_target"])[at],
        addr_since=start(c["reg_since"])[at], addr_until=end(c["reg_until"])[at],
        contact_firm=ints(c["reg_firm"])[contact], contact_id=ints(c["reg_target"])[contact],
        contact_since=start(c["reg_since"])[contact], contact_until=end(c["reg_until"])[contact],
        shared_firm=ints(c["reg_firm"])[shared], shared_id=ints(c["reg_target"])[shared],
        shared_kind=codes(reg_kind[shared], SHARED_KINDS).astype(np.int8),
        shared_since=start(c["reg_since"])[shared], shared_until=end(c["reg_until"])[shared],
        bid_firm=ints(c["bid_firm"])[bid_ok], bid_tender=ints(c["bid_tender"])[bid_ok],
        bid_id=ints(c["bid_id"])[bid_ok],
        bid_role=codes(c["bid_role"], BID_ROLES).astype(np.int8)[bid_ok],
        bid_status=codes(c["bid_status"], BID_STATUSES).astype(np.int8)[bid_ok],
        bid_published=start(c["bid_published"])[bid_ok],
        bid_deadline=start(c["bid_deadline"])[bid_ok],
        rec_node=ints(c["rec_node"])[rec_ok], rec_subject=ints(c["rec_subject"])[rec_ok],
        rec_on_person=np.asarray(c["rec_on_person"], dtype=bool)[rec_ok],
        rec_kind=codes(c["rec_kind"], KINDS).astype(np.int16)[rec_ok],
        rec_category=codes(c["rec_category"], pci_categories()).astype(np.int16)[rec_ok],
        rec_negative=negative[rec_ok],
        rec_issued=start(c["rec_issued"])[rec_ok], rec_removed=end(c["rec_removed"])[rec_ok],
        rec_severity=codes(c["rec_severity"], SEVERITIES).astype(np.int8)[rec_ok],
        rec_amount=np.asarray(c["rec_amount"], dtype=np.float64)[rec_ok],
        rec_outcome=outcome.astype(np.int8)[rec_ok],
        rec_stream=codes(c["rec_stream"], STREAMS).astype(np.int8)[rec_ok],
        rec_tax_agency=np.asarray(c["rec_tax_agency"], dtype=bool)[rec_ok],
        rec_id=obj(c["rec_id"])[rec_ok],
    )


def read_snapshot(driver: Driver, database: str) -> Snapshot:
    """The current graph as a :class:`Snapshot` (a handful of bulk reads)."""
    return Snapshot.from_neo4j(driver, database)


def list_load_batches(driver: Driver, database: str) -> list[dict[str, Any]]:
    """Completed load batches, newest first (``directory`` is where the world came from)."""
    records, _, _ = driver.execute_query(query("snapshot/list_load_batches"), {},
                                         database_=database,
                                         routing_=RoutingControl.READ)
    return [r.data() for r in records]

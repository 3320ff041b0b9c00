"""Turn the generator's arrays into the schema's node and relationship tables."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from riskgraph.graph.schema import RECORD_KINDS, Label, Polarity, Rel
from riskgraph.seed.arrays import IntArray, UIntArray, segment_rank
from riskgraph.seed.firms import Firms
from riskgraph.seed.groups import CompanyLinks
from riskgraph.seed.ids import combine, hex_ids
from riskgraph.seed.inspections import Inspectors
from riskgraph.seed.naming import ids_for
from riskgraph.seed.people import ROLE_NAMES, People
from riskgraph.seed.places import Places
from riskgraph.seed.procurement import Procurement
from riskgraph.seed.records import AGENCIES, KIND_NAMES
from riskgraph.seed.supply import Supplies
from riskgraph.seed.tables import Writer, dates, node_table, rel_table, words
from riskgraph.seed.vocab import (
    BUYERS,
    FOREIGN_NATIONALITIES,
    INDUSTRIES,
    OWNERSHIP,
    PROCEDURES,
    REGIONS,
    STATUS,
    TENDER_CATEGORIES,
    TENDER_WORDS,
)

SEVERITIES = ("general", "serious", "particularly_serious")
DISCLOSURES = ("public", "agency_shared", "restricted")
STREAMS = ("random", "targeted")
OUTCOMES = ("no_violation", "violation", "serious_violation")
BID_STATUS = ("won", "lost", "disqualified")
BID_ROLES = ("sole", "lead", "member")


@dataclass
class Keys:
    """Natural keys of the written nodes, by internal index."""

    uscc: pa.Array
    uscc_hash: UIntArray
    person: pa.Array
    person_hash: UIntArray
    inspector: pa.Array
    record: pa.Array | None = None
    tender: pa.Array | None = None


def _region_codes(idx: IntArray) -> pa.Array:
    return words([r.code for r in REGIONS], idx)


def _take(arr: pa.Array, idx: IntArray) -> pa.Array:
    return arr.take(pa.array(np.asarray(idx, dtype=np.int64)))


COPY_PROPS = ("uscc_reported",)
"""Company properties written only on the copies of ``seed --firm-duplicates``."""


def companies(w: Writer, firms: Firms, keys: Keys, names: pa.Array, batch: str) -> None:
    """Company rows (``uscc_reported`` only on the copies of seed --firm-duplicates)."""
    w.node(Label.COMPANY, node_table(Label.COMPANY, {
        "uscc": keys.uscc, "name": names, "region_code": _region_codes(firms.region),
        "industry_code": words([i.code for i in INDUSTRIES], firms.industry),
        "founded_on": dates(firms.founded), "dissolved_on": dates(firms.dissolved),
        "status": words(STATUS, firms.status),
        "registered_capital": pa.array(firms.capital, from_pandas=True),
        "employees": pa.array(firms.employees), "ownership_type": words(OWNERSHIP,
                                                                        firms.ownership),
        "listed": pa.array(firms.listed),
    }, batch).drop_columns(list(COPY_PROPS)))


IDENTITY_PROPS = ("birth_date", "id_number_masked")
"""Person properties written only by ``seed --duplicates`` (the default world's bytes stay)."""


def persons(w: Writer, people: People, keys: Keys, names: pa.Array, batch: str,
            identity: dict[str, pa.Array] | None = None, rows: IntArray | None = None) -> None:
    """Person rows; with ``identity`` (seed --duplicates) also birth dates and masked ids, and
    ``rows`` maps each written row to the person it records."""
    rows = np.arange(people.n) if rows is None else rows
    table = node_table(Label.PERSON, {
        "person_id": keys.person, "name": names,
        "nationality": pc.if_else(pa.array(people.foreign[rows] >= 0),
                                  words(FOREIGN_NATIONALITIES,
                                        np.maximum(people.foreign[rows], 0)), "CN"),
        "political_connection": pa.array(people.political[rows]),
        **(identity or {}),
    }, batch)
    w.node(Label.PERSON, table if identity else table.drop_columns(list(IDENTITY_PROPS)))


def roles(w: Writer, people: People, keys: Keys, batch: str,
          holders: tuple[IntArray, IntArray] | None = None) -> None:
    """Role relationships; ``holders`` (seed --duplicates) gives the written Person row and the
    role of each edge (a planted copy may hold or repeat the original's roles)."""
    holder, index = holders or (people.role_person, np.arange(len(people.role_person)))
    for code, name in enumerate(ROLE_NAMES):
        pick = np.nonzero(people.role_type[index] == code)[0]
        sel = index[pick]
        w.rel(Rel(name), rel_table(
            Rel(name), _take(keys.person, holder[pick]),
            _take(keys.uscc, people.role_firm[sel]), batch,
            {"since": dates(people.role_since[sel]), "until": dates(people.role_until[sel])}))


def equity(w: Writer, firms: Firms, people: People, links: CompanyLinks, keys: Keys,
           batch: str) -> None:
    src = pa.concat_arrays([_take(keys.person, people.eq_person),
                            _take(keys.uscc, links.eq_holder)])
    dst = _take(keys.uscc, np.r_[people.eq_firm, links.eq_target])
    label = words(["Person", "Company"], np.r_[np.zeros(len(people.eq_person), np.int64),
                                               np.ones(len(links.eq_holder), np.int64)])
    since_p = firms.founded[people.eq_firm]
    since_c = np.maximum(firms.founded[links.eq_holder], firms.founded[links.eq_target])
    w.rel(Rel.HOLDS_EQUITY, rel_table(
        Rel.HOLDS_EQUITY, src, dst, batch,
        {"share": pa.array(np.r_[people.eq_share, links.eq_share]),
         "since": dates(np.r_[since_p, since_c])}, src_label=label))


def corporate(w: Writer, firms: Firms, links: CompanyLinks, keys: Keys, batch: str) -> None:
    since = np.maximum(firms.founded[links.sub_child], firms.founded[links.sub_parent])
    w.rel(Rel.SUBSIDIARY_OF, rel_table(Rel.SUBSIDIARY_OF, _take(keys.uscc, links.sub_child),
                                       _take(keys.uscc, links.sub_parent), batch,
                                       {"since": dates(since)}))
    w.rel(Rel.BRANCH_OF, rel_table(Rel.BRANCH_OF, _take(keys.uscc, links.branch),
                                   _take(keys.uscc, links.head), batch,
                                   {"since": dates(firms.founded[links.branch])}))


def supplies(w: Writer, firms: Firms, s: Supplies, keys: Keys, batch: str) -> None:
    product = words([i.word for i in INDUSTRIES], firms.industry[s.supplier])
    w.rel(Rel.SUPPLIES, rel_table(Rel.SUPPLIES, _take(keys.uscc, s.supplier),
                                  _take(keys.uscc, s.customer), batch,
                                  {"annual_value": pa.array(s.annual_value), "product": product,
                                   "since": dates(s.since), "until": dates(s.until)}))


def places(w: Writer, firms: Firms, p: Places, keys: Keys, batch: str,
           residences: tuple[pa.Array, pa.Array, pa.Array] | None = None) -> None:
    """Addresses (plus ``residences``: id, text, region of people's addresses not already
    there, seed --duplicates), contact points, REGISTERED_AT and HAS_CONTACT."""
    ids, text, region = p.address_id, p.address_text, p.address_region
    if residences is not None:
        new = pc.invert(pc.is_in(residences[0], value_set=ids))
        ids, text, region = (pa.concat_arrays([a, b.filter(new)])
                             for a, b in zip((ids, text, region), residences, strict=True))
    w.node(Label.ADDRESS, node_table(Label.ADDRESS, {
        "address_id": ids, "text": text, "region_code": region}, batch))
    w.node(Label.CONTACT_POINT, node_table(Label.CONTACT_POINT, {
        "contact_id": p.contact_id, "kind": p.contact_kind, "value": p.contact_value}, batch))
    w.rel(Rel.REGISTERED_AT, rel_table(Rel.REGISTERED_AT, keys.uscc,
                                       _take(p.address_id, p.firm_address), batch,
                                       {"since": dates(firms.founded)}))
    w.rel(Rel.HAS_CONTACT, rel_table(Rel.HAS_CONTACT, _take(keys.uscc, p.hc_firm),
                                     _take(p.contact_id, p.hc_contact), batch,
                                     {"since": dates(firms.founded[p.hc_firm])}))


def inspectors(w: Writer, ins: Inspectors, people: People, keys: Keys, names: pa.Array,
               batch: str) -> None:
    agency = pc.binary_join_element_wise(words([r.city_en for r in REGIONS], ins.region),
                                         words(AGENCIES, ins.agency), " ")
    person = pc.if_else(pa.array(people.inspector_person >= 0),
                        _take(keys.person, np.maximum(people.inspector_person, 0)),
                        pa.scalar(None, pa.string()))
    w.node(Label.INSPECTOR, node_table(Label.INSPECTOR, {
        "inspector_id": keys.inspector, "name": names, "agency": agency,
        "region_code": _region_codes(ins.region), "person_id": person}, batch))


def procurement(w: Writer, pr: Procurement, keys: Keys, seed: int, batch: str) -> pa.Array:
    """Tenders, bids, SUBMITTED, FOR_TENDER, LIST_SUPPLIER; returns the tender ids."""
    n_t = len(pr.t_region)
    region_num = np.array([int(r.code) for r in REGIONS], dtype=np.int64)[pr.t_region]
    rank = segment_rank(region_num * 100_000 + pr.t_published)
    tender_id, t_hash = ids_for("tnd-", "tender", region_num, pr.t_published, rank,
                                np.full(n_t, seed, dtype=np.int64))
    city = words([r.city for r in REGIONS], pr.t_region)
    buyer = pc.binary_join_element_wise(city, words(BUYERS, pr.t_buyer), "")
    title = pc.binary_join_element_wise(buyer, words(TENDER_WORDS, pr.t_category), "")
    w.node(Label.TENDER, node_table(Label.TENDER, {
        "tender_id": tender_id, "title": title, "buyer": buyer,
        "region_code": _region_codes(pr.t_region),
        "category": words(TENDER_CATEGORIES, pr.t_category),
        "estimated_value": pa.array(pr.t_value), "published_on": dates(pr.t_published),
        "deadline": dates(pr.t_deadline), "procedure": words(PROCEDURES, pr.t_procedure),
        "currency": pa.repeat(pa.scalar("CNY"), n_t),
        **({} if pr.t_floor is None else
           {"floor_price": pa.array(pr.t_floor, from_pandas=True)})},
        batch))
    lead = pr.s_firm[: len(pr.b_tender)]
    bid_id, _ = ids_for("bid-", "bid", t_hash[pr.b_tender], keys.uscc_hash[lead])
    b_tender = _take(tender_id, pr.b_tender)
    w.node(Label.BID, node_table(Label.BID, {
        "bid_id": bid_id, "tender_id": b_tender, "amount": pa.array(pr.b_amount),
        "currency": pa.repeat(pa.scalar("CNY"), len(pr.b_tender)),
        "submitted_at": pa.array(pr.b_submitted, type=pa.timestamp("s")),
        "status": words(BID_STATUS, pr.b_status)}, batch))
    w.rel(Rel.SUBMITTED, rel_table(Rel.SUBMITTED, _take(keys.uscc, pr.s_firm),
                                   _take(bid_id, pr.s_bid), batch,
                                   {"role": words(BID_ROLES, pr.s_role)}))
    w.rel(Rel.FOR_TENDER, rel_table(Rel.FOR_TENDER, bid_id, b_tender, batch))
    w.rel(Rel.LIST_SUPPLIER, rel_table(Rel.LIST_SUPPLIER, _take(bid_id, pr.ls_bid),
                                       _take(keys.uscc, pr.ls_firm), batch))
    return tender_id


def credit_records(w: Writer, rec: dict[str, np.ndarray], keys: Keys, batch: str) -> pa.Array:
    """CreditRecord nodes, HAS_RECORD and INSPECTED_BY; returns the record ids."""
    is_person = rec["is_person"]
    subject = rec["subject"]
    subj_hash = np.where(is_person, keys.person_hash[np.where(is_person, subject, 0)],
                         keys.uscc_hash[np.where(is_person, 0, subject)])
    kind, issued = rec["kind"], rec["day"]
    key = combine("reckey", subj_hash, kind, issued).view(np.int64)
    rank = segment_rank(key)
    record_id = hex_ids("rec-", combine("record", subj_hash, kind, issued, rank))
    names = list(KIND_NAMES)
    category = [RECORD_KINDS[k].category for k in names]
    base_pol = [list(Polarity).index(RECORD_KINDS[k].polarity) for k in names]
    polarity = np.where(rec["negative"], list(Polarity).index(Polarity.NEGATIVE),
                        np.array(base_pol)[kind])
    inspection = rec["stream"] >= 0
    polarity = np.where(inspection & ~rec["negative"], list(Polarity).index(Polarity.NEUTRAL),
                        polarity)
    agency = pc.binary_join_element_wise(words([r.city_en for r in REGIONS], rec["region"]),
                                         words(AGENCIES, rec["agency"]), " ")
    inspector = pc.if_else(pa.array(rec["inspector"] >= 0),
                           _take(keys.inspector, np.maximum(rec["inspector"], 0)),
                           pa.scalar(None, pa.string()))
    w.node(Label.CREDIT_RECORD, node_table(Label.CREDIT_RECORD, {
        "record_id": record_id, "category": words(category, kind), "kind": words(names, kind),
        "agency": agency, "issued_on": dates(issued), "removed_on": dates(rec["removed"]),
        "polarity": words([p.value for p in Polarity], polarity),
        "severity": words(SEVERITIES, rec["severity"]),
        "amount": pa.array(rec["amount"], from_pandas=True),
        "disclosure": words(DISCLOSURES, rec["disclosure"]),
        "stream": words(STREAMS, rec["stream"]), "inspector_id": inspector,
        "outcome": words(OUTCOMES, rec["outcome"])}, batch))
    src = pc.if_else(pa.array(is_person),
                     _take(keys.person, np.where(is_person, subject, 0)),
                     _take(keys.uscc, np.where(is_person, 0, subject)))
    w.rel(Rel.HAS_RECORD, rel_table(Rel.HAS_RECORD, src, record_id, batch,
                                    src_label=words(["Company", "Person"],
                                                    is_person.astype(np.int64))))
    sel = np.nonzero(inspection)[0]
    w.rel(Rel.INSPECTED_BY, rel_table(Rel.INSPECTED_BY, _take(record_id, sel),
                                      _take(keys.inspector, rec["inspector"][sel]), batch))
    return record_id

"""Network features by firm slice: a slice of firms plus the halo of the graph its features read.

A network feature's value for a firm reads the firm's neighbourhood, never the whole graph,
except for the four :data:`GLOBAL_FEATURES`. :func:`network_slice` cuts from the snapshot the
firms ``lo..hi-1`` (the core) and every row the features walk from them
(models/risk/features/):

* people: every person holding any role at a core firm, closed over the resolved entity (every
  person with a ``SAME_AS`` link to the same entity), with all their roles, their person
  records and their links; the firms of those roles (linked firms, other firms, phoenix firms);
* group: every group link with a core firm as child or parent, and the firm at its other end;
* supply: the supplies bought by the core and by its first and second tiers of suppliers (the
  value shares of three tiers), the three tiers of suppliers, and the firms the core supplies;
* registry keys: every holder, legal-name, address and contact row on a key a core firm holds,
  and the firms holding it;
* bidding: every bid in a tender a core firm bid in, and the firms that bid;
* the credit records of those persons.

No firm's credit records are in the halo: what the network features read from a firm's
records are its :data:`~models.risk.features.context.SIGNALS` (blacklisted, penalised, its
negative-record rate …), each from the firm's own records alone, so they are computed on the
firm slices with the own features and travel with the halo instead
(:func:`halo_context`): the halo's size is its firms and rows, not their records. Nor are the
firms' and persons' texts (USCC, region, industry, ownership, person id: blanked), which no
halo feature reads.

The cut (:func:`halo_rows`) gathers each slice's rows from the snapshot's rows grouped once a
run by firm, person, entity, key and tender (:class:`HaloIndex`), so it costs the slice's own
rows, not a scan of the world per slice.

Nothing is filtered by date (the features do that), so the halo is a superset of the one of
any as-of date. Firms, persons and resolved entities keep their snapshot order (renumbered from
0) and rows keep theirs, so every per-firm sum runs over the same terms in the same order as on
the whole snapshot: the core's values are equal bit for bit
(tests/models/spark/test_network_slices.py).

The :data:`GLOBAL_FEATURES` read the whole firm graph (PageRank: 30 power iterations; the
community: connected components; the industry rate: one rate per industry; the co-bidding
rotation: connected components of repeated co-bidders). They run on :func:`global_view`: every
firm with its people, group links, supplies and bids, but of the credit records only the
penalties, and no registry keys; the rotation, which reads the bids only, apart on
:func:`bids_view`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from typing import Any

import numpy as np
import numpy.typing as npt

from riskgraph.graph.snapshot import Snapshot
from riskgraph.models.risk.features.context import PENALTY, FeatureContext
from riskgraph.models.risk.features.supply import TIERS
from riskgraph.models.spark.grouped import Grouped
from riskgraph.models.spark.partition import FIRM_FIELDS, own_scope

BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]

GLOBAL_FEATURES = frozenset({"pagerank", "community_violation_rate", "industry_violation_rate",
                             "cobid_rotation"})
"""Network features that read the whole firm graph (computed on :func:`global_view`)."""

BID_FEATURES = frozenset({"cobid_rotation"})
"""The global features that read the bids only (computed apart, on :func:`bids_view`)."""

PERSON_FIELDS = ("person_id", "person_node", "political")
ROW_GROUPS = ("role_", "link_", "sup_", "addr_", "contact_", "shared_", "bid_", "rec_", "same_")
FIRM_COLUMNS = ("role_firm", "link_child", "link_parent", "sup_supplier", "sup_customer",
                "addr_firm", "contact_firm", "shared_firm", "bid_firm")
"""Row columns holding a firm index (renumbered in a slice)."""
TEXT_FIELDS = ("uscc", "region", "industry", "ownership", "person_id")
"""Texts no halo feature reads: blanked in a network slice (one shared empty string)."""


def halo_scope(name: str) -> bool:
    """Whether ``name`` is a network feature computed on a firm slice and its halo."""
    return not own_scope(name) and name not in GLOBAL_FEATURES


@dataclass(frozen=True)
class NetworkSlice:
    """The halo snapshot of one firm slice and where the slice's firms sit in it."""

    snap: Snapshot
    core: IntArray
    """Positions in ``snap`` of the firms ``lo..hi-1`` of the whole snapshot, in order."""
    firms: IntArray
    """Per firm of ``snap``: its position in the whole snapshot (ascending)."""


def halo_context(piece: Snapshot, as_of: dt.date | int, core: IntArray,
                 signals: npt.NDArray[np.float64]) -> FeatureContext:
    """The context a halo task computes its core's network features in: the shared-people
    graph built for the core's rows, the firms' signals (``signals``: the whole snapshot's
    :func:`~models.risk.features.context.signal_matrix` rows of ``NetworkSlice.firms``) read
    instead of their records."""
    return FeatureContext(piece, as_of, rows=core, signals=signals)


@dataclass(frozen=True)
class HaloIndex:
    """The snapshot's rows grouped by the keys a halo is gathered on (built once a run, so
    each slice's cut costs its own rows, not a scan of the world: models/spark/grouped.py).
    Keys that are opaque integers (entities, addresses, contacts, registry keys, tenders) are
    renumbered ``0..k-1`` here."""

    role_by_firm: Grouped
    role_by_person: Grouped
    same_entity: IntArray
    same_by_person: Grouped
    same_by_entity: Grouped
    link_by_child: Grouped
    link_by_parent: Grouped
    sup_by_customer: Grouped
    sup_by_supplier: Grouped
    keys: dict[str, tuple[IntArray, Grouped, Grouped]]
    """Per keyed row group (``addr_``, ``contact_``, ``shared_``, ``bid_``): the rows' key,
    the rows by firm, the rows by key."""
    rec_by_person: Grouped
    """The persons' records (``order``: record positions) by person."""

    @classmethod
    def of(cls, s: Snapshot) -> HaloIndex:
        n, m = s.n_firms, s.n_persons
        keys = {}
        for group, firm, key in (("addr_", s.addr_firm, (s.addr_id,)),
                                 ("contact_", s.contact_firm, (s.contact_id,)),
                                 ("shared_", s.shared_firm, (s.shared_kind, s.shared_id)),
                                 ("bid_", s.bid_firm, (s.bid_tender,))):
            dense = _dense(*key)
            keys[group] = (dense, Grouped.of(firm, n), Grouped.of(dense, _size(dense)))
        entity = _dense(s.same_entity)
        on_person = np.nonzero(s.rec_on_person)[0]
        by_person = Grouped.of(s.rec_subject[on_person], m)
        return cls(Grouped.of(s.role_firm, n), Grouped.of(s.role_person, m), entity,
                   Grouped.of(s.same_person, m), Grouped.of(entity, _size(entity)),
                   Grouped.of(s.link_child, n), Grouped.of(s.link_parent, n),
                   Grouped.of(s.sup_customer, n), Grouped.of(s.sup_supplier, n), keys,
                   Grouped(on_person[by_person.order], by_person.start))


def _dense(*columns: npt.NDArray[Any]) -> IntArray:
    """Each row's key (the tuple of ``columns``) renumbered ``0..k-1``."""
    if len(columns) == 1:
        inverse = np.unique(columns[0], return_inverse=True)[1]
    else:
        inverse = np.unique(np.stack([c.astype(np.int64) for c in columns]), axis=1,
                            return_inverse=True)[1]
    return np.asarray(inverse, dtype=np.int64).ravel()


def _size(dense: IntArray) -> int:
    return int(dense.max()) + 1 if len(dense) else 0


def _distinct(values: IntArray, size: int) -> IntArray:
    """The distinct ``values`` (each in ``0..size-1``), ascending: marks, not a sort (NumPy's
    hashing ``unique`` took 2.8 of a 2.9 s cut at 1M firms)."""
    marks = np.zeros(size, dtype=bool)
    marks[values] = True
    return np.flatnonzero(marks).astype(np.int64)


def _positions(kept: IntArray, size: int) -> IntArray:
    """Old position → new (the rank in ``kept``, ascending), -1 where not kept."""
    out = np.full(size, -1, dtype=np.int64)
    out[kept] = np.arange(len(kept), dtype=np.int64)
    return out


def halo_rows(s: Snapshot, lo: int, hi: int,
              index: HaloIndex) -> tuple[IntArray, IntArray, dict[str, IntArray]]:
    """The firms, persons and rows (per row group) the slice ``lo..hi`` needs (module doc),
    each as ascending positions in ``s``."""
    n, m = s.n_firms, s.n_persons
    persons = _distinct(s.role_person[index.role_by_firm.between(lo, hi)], m)
    entities = _distinct(index.same_entity[index.same_by_person.rows(persons)],
                         len(index.same_by_entity.start) - 1)
    persons = _distinct(np.concatenate([persons,
                                        s.same_person[index.same_by_entity.rows(entities)]]), m)
    rows = {"role_": _distinct(index.role_by_person.rows(persons), len(s.role_person)),
            "same_": _distinct(index.same_by_person.rows(persons), len(s.same_person)),
            "link_": _distinct(np.concatenate([index.link_by_child.between(lo, hi),
                                               index.link_by_parent.between(lo, hi)]),
                               len(s.link_child))}
    bought = [index.sup_by_supplier.between(lo, hi)]  # what the core supplies
    tier = np.arange(lo, hi, dtype=np.int64)
    for _ in range(TIERS):  # the value shares of the core's and its first two tiers' purchases
        buys = index.sup_by_customer.rows(tier)
        bought.append(buys)
        tier = _distinct(s.sup_supplier[buys], n)
    rows["sup_"] = _distinct(np.concatenate(bought), len(s.sup_customer))
    for group, (key, by_firm, by_key) in index.keys.items():  # rows on a key a core firm holds
        held_keys = _distinct(key[by_firm.between(lo, hi)], len(by_key.start) - 1)
        rows[group] = _distinct(by_key.rows(held_keys), len(key))
    held = [np.arange(lo, hi, dtype=np.int64)]
    for column in FIRM_COLUMNS:
        group = next(g for g in ROW_GROUPS if column.startswith(g))
        held.append(getattr(s, column)[rows[group]])
    # the persons' records (their listings); the firms' records come as signals
    rows["rec_"] = _distinct(index.rec_by_person.rows(persons), len(s.rec_subject))
    return _distinct(np.concatenate(held), n), persons, rows


def network_slice(s: Snapshot, lo: int, hi: int, index: HaloIndex | None = None) -> NetworkSlice:
    """Firms ``lo..hi-1`` of ``s`` with the halo their network features read (module doc);
    ``index``: ``HaloIndex.of(s)``, built once for every slice of a run."""
    firms, persons, rows = halo_rows(s, lo, hi, index or HaloIndex.of(s))
    values: dict[str, Any] = {}
    for f in fields(s):
        column = getattr(s, f.name)
        if f.name in TEXT_FIELDS:
            values[f.name] = np.full(len(persons if f.name == "person_id" else firms), "",
                                     dtype=object)
        elif f.name in FIRM_FIELDS:
            values[f.name] = column[firms]
        elif f.name in PERSON_FIELDS:
            values[f.name] = column[persons]
        else:
            group = next((g for g in ROW_GROUPS if f.name.startswith(g)), None)
            if group is None:
                raise ValueError(f"network_slice does not know the snapshot column {f.name!r}")
            values[f.name] = column[rows[group]]
    firm_at, person_at = _positions(firms, s.n_firms), _positions(persons, s.n_persons)
    for column in FIRM_COLUMNS:  # renumbered: every value is among the kept firms
        values[column] = firm_at[values[column]]
    for column in ("role_person", "same_person", "rec_subject"):
        values[column] = person_at[values[column]]
    values["same_entity"] = np.unique(values["same_entity"], return_inverse=True)[1].astype(
        np.int64).ravel()
    core = firm_at[lo:hi]
    return NetworkSlice(Snapshot(**values), core, firms)


def global_view(s: Snapshot) -> Snapshot:
    """What the :data:`GLOBAL_FEATURES` read: every firm, person, role, group link, supply, bid
    and ``SAME_AS`` link; of the records, the firms' penalties only; no registry keys."""
    keep = ~s.rec_on_person & np.isin(s.rec_kind, PENALTY)
    values: dict[str, Any] = {}
    for f in fields(s):
        column = getattr(s, f.name)
        if f.name.startswith("rec_"):
            values[f.name] = column[keep]
        elif f.name.startswith(("addr_", "contact_", "shared_")):
            values[f.name] = column[:0].copy()
        else:
            values[f.name] = column
    return Snapshot(**values)


def bids_view(s: Snapshot) -> Snapshot:
    """What the :data:`BID_FEATURES` read: every firm and bid, nothing else."""
    values: dict[str, Any] = {}
    for f in fields(s):
        column = getattr(s, f.name)
        keep = f.name in FIRM_FIELDS or f.name.startswith("bid_")
        values[f.name] = column if keep else column[:0].copy()
    return Snapshot(**values)


def snapshot_bytes(s: Snapshot) -> int:
    """Bytes held by the snapshot's arrays (object columns: their pointers only)."""
    return sum(getattr(s, f.name).nbytes for f in fields(s))

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
* every credit record of those firms.

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

from dataclasses import dataclass, fields
from typing import Any

import numpy as np
import numpy.typing as npt

from riskgraph.graph.snapshot import Snapshot
from riskgraph.models.risk.features.context import PENALTY
from riskgraph.models.risk.features.supply import TIERS
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


def halo_scope(name: str) -> bool:
    """Whether ``name`` is a network feature computed on a firm slice and its halo."""
    return not own_scope(name) and name not in GLOBAL_FEATURES


@dataclass(frozen=True)
class NetworkSlice:
    """The halo snapshot of one firm slice and where the slice's firms sit in it."""

    snap: Snapshot
    core: IntArray
    """Positions in ``snap`` of the firms ``lo..hi-1`` of the whole snapshot, in order."""


def _marked(size: int, index: npt.NDArray[Any]) -> BoolArray:
    out = np.zeros(size, dtype=bool)
    out[index] = True
    return out


def _on_keys(firm: IntArray, target: IntArray, core: BoolArray) -> BoolArray:
    """Rows on a key (target) that a core firm holds."""
    return np.isin(target, np.unique(target[core[firm]]))


def _rows(s: Snapshot, lo: int, hi: int) -> tuple[BoolArray, BoolArray, dict[str, BoolArray]]:
    """The firms, persons and rows (per row group) the slice ``lo..hi`` needs."""
    n = s.n_firms
    core = np.zeros(n, dtype=bool)
    core[lo:hi] = True
    people = _marked(s.n_persons, s.role_person[core[s.role_firm]])
    entities = np.unique(s.same_entity[people[s.same_person]])
    people[s.same_person[np.isin(s.same_entity, entities)]] = True
    rows = {"role_": people[s.role_person], "same_": people[s.same_person],
            "link_": core[s.link_child] | core[s.link_parent]}
    bought = np.zeros(len(s.sup_customer), dtype=bool)
    tier = core
    for _ in range(TIERS):  # the value shares of the core's and its first two tiers' purchases
        buys = tier[s.sup_customer]
        bought |= buys
        tier = _marked(n, s.sup_supplier[buys])
    rows["sup_"] = bought | core[s.sup_supplier]
    rows["addr_"] = _on_keys(s.addr_firm, s.addr_id, core)
    rows["contact_"] = _on_keys(s.contact_firm, s.contact_id, core)
    shared = np.zeros(len(s.shared_firm), dtype=bool)
    for kind in np.unique(s.shared_kind):
        mine = s.shared_kind == kind
        shared |= mine & np.isin(s.shared_id, np.unique(s.shared_id[mine & core[s.shared_firm]]))
    rows["shared_"] = shared
    rows["bid_"] = np.isin(s.bid_tender, np.unique(s.bid_tender[core[s.bid_firm]]))
    firms = core.copy()
    for column in FIRM_COLUMNS:
        group = next(g for g in ROW_GROUPS if column.startswith(g))
        firms[getattr(s, column)[rows[group]]] = True
    rows["rec_"] = _by_subject(s.rec_on_person, s.rec_subject, people, firms)
    return firms, people, rows


def _by_subject(on_person: BoolArray, subject: IntArray, of_person: npt.NDArray[Any],
                of_firm: npt.NDArray[Any]) -> npt.NDArray[Any]:
    """Per record: ``of_person`` or ``of_firm`` at its subject."""
    out = np.empty(len(subject), dtype=of_firm.dtype)
    out[on_person] = of_person[subject[on_person]]
    out[~on_person] = of_firm[subject[~on_person]]
    return out


def _renumbered(mask: BoolArray) -> IntArray:
    """Old index → new index (-1 where not kept), keeping the order."""
    out = np.full(len(mask), -1, dtype=np.int64)
    out[mask] = np.arange(int(mask.sum()), dtype=np.int64)
    return out


def network_slice(s: Snapshot, lo: int, hi: int) -> NetworkSlice:
    """Firms ``lo..hi-1`` of ``s`` with the halo their network features read (module doc)."""
    firms, people, rows = _rows(s, lo, hi)
    values: dict[str, Any] = {}
    for f in fields(s):
        column = getattr(s, f.name)
        if f.name in FIRM_FIELDS:
            values[f.name] = column[firms]
        elif f.name in PERSON_FIELDS:
            values[f.name] = column[people]
        else:
            group = next((g for g in ROW_GROUPS if f.name.startswith(g)), None)
            if group is None:
                raise ValueError(f"network_slice does not know the snapshot column {f.name!r}")
            values[f.name] = column[rows[group]]
    firm_at, person_at = _renumbered(firms), _renumbered(people)
    for column in FIRM_COLUMNS:
        values[column] = firm_at[values[column]]
    values["role_person"] = person_at[values["role_person"]]
    values["same_person"] = person_at[values["same_person"]]
    values["same_entity"] = np.unique(values["same_entity"], return_inverse=True)[1].astype(
        np.int64).ravel()
    values["rec_subject"] = _by_subject(values["rec_on_person"], values["rec_subject"],
                                        person_at, firm_at)
    return NetworkSlice(Snapshot(**values), firm_at[lo:hi])


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

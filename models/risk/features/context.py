"""A snapshot seen as of one date: the only door through which features read data.

Everything here is point-in-time: a record counts only if issued on or before ``t``; a listing
is active only if not removed by ``t``; a role, group link, supply, registration or address
counts only if its ``since`` is on or before ``t`` and its ``until`` after; a bid counts only
after its tender's deadline; a firm is alive if founded by ``t`` and not dissolved by ``t``.
People are read through the entity resolution: persons linked to one resolved entity by
``SAME_AS`` links counting at ``t`` count as one person (:attr:`FeatureContext.person_of`); a
link counts from the first day its person record appears, whatever the day of the decision, and
a retired link never counts (the rule: graph/snapshot.py ``Snapshot.with_links``).
Nothing dated after ``t`` can reach a feature (tests/models/risk/test_point_in_time.py).

Intermediates (sparse matrices, per-firm signals) are cached properties, so features that
share them compute them once. All work is vectorised over firms; no per-firm loop.
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from riskgraph.graph.schema import RECORD_KINDS
from riskgraph.graph.snapshot import (
    BRANCH,
    CONTROLLER,
    DIRECTOR,
    HOLDER,
    KINDS,
    LEGAL_NAME,
    LR,
    SUBSIDIARY,
    Snapshot,
    day_of,
)
from riskgraph.models.risk.scorecards import active_mask

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]
YEAR = 365


def kind_code(*names: str) -> list[int]:
    return [KINDS.index(n) for n in names]


PENALTY = kind_code("administrative_penalty")
INSPECTIONS = [i for i, k in enumerate(KINDS) if RECORD_KINDS[k].category == "inspections"]
"""Every inspection kind, whatever its stream."""
BLACKLISTS = kind_code("serious_dishonest_enterprise_list", "procurement_ban")
PERSON_LISTS = kind_code("dishonest_person_list", "person_judgment_unsatisfied")


SIGNALS = ("blacklisted", "blacklist_recency", "penalised_1y", "penalised_3y",
           "penalty_count_3y", "serious_3y", "negative_rate", "inspection_violations_3y",
           "inspections_3y", "inspection_serious_3y", "blacklisted_then_dissolved")
"""The per-firm signals the network features read from other firms, each from the firm's own
records (and founding and dissolution dates) alone: a firm slice with its own records gives
the whole snapshot's values (``risky`` follows from two of them)."""

BOOL_SIGNALS = frozenset({"blacklisted", "penalised_1y", "penalised_3y", "serious_3y",
                          "blacklisted_then_dissolved"})


class FeatureContext:
    """Snapshot ``snap`` as of day ``t``."""

    def __init__(self, snap: Snapshot, as_of: dt.date | int,
                 rows: npt.NDArray[np.int64] | None = None,
                 signals: npt.NDArray[np.float64] | None = None) -> None:
        """``rows`` (ascending firm positions): only these firms' values are read (a Spark
        halo task's core): the firm × firm graphs (shared people :attr:`linked`, co-bidders
        :attr:`cobid`, registry siblings, :attr:`ties`) are built for these rows alone, each
        equal to the whole graph's row, the other rows empty.

        ``signals`` (firms × :data:`SIGNALS`, from :func:`signal_matrix` on the same date):
        the firms' signals computed elsewhere, read instead of the snapshot's firm records (a
        Spark halo task holds its far firms' signals, not their records)."""
        self.snap = snap
        self.t = as_of if isinstance(as_of, int) else day_of(as_of)
        self.n = snap.n_firms
        self.rows = rows
        if signals is not None:
            if signals.shape != (self.n, len(SIGNALS)):
                raise ValueError(f"signals of shape {signals.shape}: expected "
                                 f"({self.n}, {len(SIGNALS)}), one column per SIGNALS name")
            for j, name in enumerate(SIGNALS):  # cached_property reads the instance dict
                column = signals[:, j]
                self.__dict__[name] = column > 0 if name in BOOL_SIGNALS else column.copy()

    def _self_product(self, a: sp.csr_matrix) -> sp.csr_matrix:
        """``a @ a.T`` (firms × firms through a shared column), only the :attr:`rows` when
        given (each equal to the whole product's row)."""
        return (a @ a.T).tocsr() if self.rows is None else _rows_of_product(a, self.rows)

    # ---------------------------------------------------------------- firms
    @cached_property
    def alive(self) -> BoolArray:
        s = self.snap
        return (s.founded <= self.t) & (s.dissolved > self.t)

    @cached_property
    def existed(self) -> BoolArray:
        """Founded by t (alive or dissolved since)."""
        return self.snap.founded <= self.t

    # ---------------------------------------------------------------- own records
    @cached_property
    def _firm_rec(self) -> IntArray:
        s = self.snap
        return np.nonzero(~s.rec_on_person & (s.rec_issued <= self.t))[0]

    @cached_property
    def rec_active(self) -> BoolArray:
        """Per firm-record (aligned with _firm_rec): in force at t."""
        return active_mask(self.snap, self.t)[self._firm_rec]

    def rec(self, name: str) -> npt.NDArray[Any]:
        """Column ``rec_<name>`` of the firm records known at t."""
        arr: npt.NDArray[Any] = getattr(self.snap, f"rec_{name}")[self._firm_rec]
        return arr

    @cached_property
    def rec_age(self) -> IntArray:
        return self.t - self.rec("issued").astype(np.int64)

    def kind_is(self, codes: list[int]) -> BoolArray:
        return np.isin(self.rec("kind"), codes)

    def count(self, mask: BoolArray, weights: FloatArray | None = None) -> FloatArray:
        """Per firm: how many (or the weighted sum of) known records match ``mask``."""
        subj = self.rec("subject")
        w = None if weights is None else weights[mask]
        return np.bincount(subj[mask].astype(np.int64), weights=w,
                           minlength=self.n).astype(np.float64)

    def within(self, days: int) -> BoolArray:
        return self.rec_age < days

    def recency(self, mask: BoolArray, scale: float) -> FloatArray:
        """Per firm: exp(−days since the latest matching record / scale); 0 when none."""
        last = np.full(self.n, -1, dtype=np.int64)
        np.maximum.at(last, self.rec("subject")[mask].astype(np.int64),
                      self.rec("issued")[mask].astype(np.int64))
        return np.where(last >= 0, np.exp(-(self.t - last) / scale), 0.0)

    # ---------------------------------------------------------------- inspection history
    @cached_property
    def last_inspection(self) -> tuple[IntArray, IntArray]:
        """Per firm: the day and outcome (0 / 1 / 2) of its latest inspection with an outcome
        issued by t (several that day: the worst outcome); day -1 and outcome -1 when none."""
        mask = self.kind_is(INSPECTIONS) & (self.rec("outcome") >= 0)
        subj = self.rec("subject")[mask].astype(np.int64)
        issued = self.rec("issued")[mask].astype(np.int64)
        outcome = self.rec("outcome")[mask].astype(np.int64)
        day = np.full(self.n, -1, dtype=np.int64)
        worst = np.full(self.n, -1, dtype=np.int64)
        order = np.lexsort((outcome, issued))  # the latest, then the worst, comes last
        day[subj[order]] = issued[order]
        worst[subj[order]] = outcome[order]
        return day, worst

    # ---------------------------------------------------------------- per-firm signals
    @cached_property
    def blacklisted(self) -> BoolArray:
        """Active serious-dishonest listing or procurement ban at t."""
        return self.count(self.kind_is(BLACKLISTS) & self.rec_active) > 0

    @cached_property
    def blacklist_recency(self) -> FloatArray:
        return self.recency(self.kind_is(BLACKLISTS), 2 * YEAR)

    @cached_property
    def penalised_1y(self) -> BoolArray:
        return self.count(self.kind_is(PENALTY) & self.within(YEAR)) > 0

    @cached_property
    def penalised_3y(self) -> BoolArray:
        return self.count(self.kind_is(PENALTY) & self.within(3 * YEAR)) > 0

    @cached_property
    def penalty_count_3y(self) -> FloatArray:
        return self.count(self.kind_is(PENALTY) & self.within(3 * YEAR))

    @cached_property
    def serious_3y(self) -> BoolArray:
        """Serious or particularly serious penalty or listing, or a serious violation found at
        inspection, in the three years before t."""
        serious = (self.rec("severity") >= 1) | (self.rec("outcome") == 2)
        return self.count(serious & self.within(3 * YEAR)) > 0

    @cached_property
    def blacklisted_then_dissolved(self) -> BoolArray:
        """Dissolved by t after a serious-dishonest listing or procurement ban issued before its
        dissolution (known by t)."""
        s = self.snap
        known = ~s.rec_on_person & np.isin(s.rec_kind, BLACKLISTS) & (s.rec_issued <= self.t)
        subj = s.rec_subject[known]
        hit = (s.dissolved[subj] <= self.t) & (s.rec_issued[known] <= s.dissolved[subj])
        out = np.zeros(self.n, dtype=bool)
        out[subj[hit]] = True
        return out

    @cached_property
    def risky(self) -> BoolArray:
        """Blacklisted now, or a serious violation in three years."""
        return self.blacklisted | self.serious_3y

    # ---------------------------------------------------------------- people
    def _roles(self, types: tuple[int, ...], current: bool = True) -> BoolArray:
        s = self.snap
        ok = np.isin(s.role_type, types) & (s.role_since <= self.t)
        if current:
            ok &= s.role_until > self.t
        return ok

    @cached_property
    def key_roles(self) -> BoolArray:
        """Current legal representative, director, supervisor and controller roles."""
        return self._roles((0, 1, 2, 3))

    @cached_property
    def person_of(self) -> IntArray:
        """Per person: who it counts as at t (:meth:`Snapshot.person_of`: a person with a
        SAME_AS link counting at t counts as its resolved entity)."""
        return self.snap.person_of(self.t)

    @cached_property
    def n_people(self) -> int:
        """Size of the resolved person index (persons, then resolved entities)."""
        return self.snap.n_people

    @cached_property
    def role_person(self) -> IntArray:
        """Per role: its holder, resolved (:attr:`person_of`)."""
        return self.person_of[self.snap.role_person]

    @cached_property
    def person_listed(self) -> BoolArray:
        """Resolved persons on a dishonest-person or unsatisfied-judgment list at t (an entity
        is listed when any of its records is)."""
        s = self.snap
        act = active_mask(s, self.t) & s.rec_on_person & np.isin(s.rec_kind, PERSON_LISTS)
        out = np.zeros(self.n_people, dtype=bool)
        out[self.person_of[s.rec_subject[act]]] = True
        return out

    @cached_property
    def person_firm(self) -> sp.csr_matrix:
        """Firms × resolved persons: current legal representative, director or controller
        (binary)."""
        s = self.snap
        ok = self._roles((LR, DIRECTOR, CONTROLLER))
        m = sp.csr_matrix((np.ones(int(ok.sum())), (s.role_firm[ok], self.role_person[ok])),
                          shape=(self.n, self.n_people))
        m.data[:] = 1.0
        return m

    @cached_property
    def linked(self) -> sp.csr_matrix:
        """Firms × firms sharing a current legal representative, director or controller."""
        c = self._self_product(self.person_firm)
        c.setdiag(0)
        c.eliminate_zeros()
        c.data[:] = 1.0
        return c

    @cached_property
    def linked_count(self) -> FloatArray:
        return np.asarray(self.linked.sum(axis=1)).ravel()

    # ---------------------------------------------------------------- groups
    def _links(self, kind: int) -> sp.csr_matrix:
        """Child × parent links of ``kind`` in force at t."""
        s = self.snap
        ok = (s.link_kind == kind) & (s.link_since <= self.t) & (s.link_until > self.t)
        m = sp.csr_matrix((np.ones(int(ok.sum())), (s.link_child[ok], s.link_parent[ok])),
                          shape=(self.n, self.n))
        m.data[:] = 1.0
        return m

    @cached_property
    def subsidiary_of(self) -> sp.csr_matrix:
        return self._links(SUBSIDIARY)

    @cached_property
    def branch_of(self) -> sp.csr_matrix:
        return self._links(BRANCH)

    # ---------------------------------------------------------------- supply
    @cached_property
    def supply_weights(self) -> sp.csr_matrix:
        """Customer × supplier: share of the customer's supply value, supplies in force at t."""
        s = self.snap
        ok = (s.sup_since <= self.t) & (s.sup_until > self.t)
        value = np.where(s.sup_value[ok] > 0, s.sup_value[ok], 1.0)
        m = sp.csr_matrix((value, (s.sup_customer[ok], s.sup_supplier[ok])),
                          shape=(self.n, self.n))
        total = np.asarray(m.sum(axis=1)).ravel()
        inv = np.where(total > 0, 1.0 / np.maximum(total, 1e-12), 0.0)
        return sp.csr_matrix(sp.diags(inv) @ m)

    # ---------------------------------------------------------------- bidding
    @cached_property
    def firm_tender(self) -> sp.csr_matrix:
        """Firms × tenders whose deadline has passed by t (the bid is then public)."""
        s = self.snap
        ok = (s.bid_deadline <= self.t) & (s.bid_deadline > -500_000)
        if not ok.any():
            return sp.csr_matrix((self.n, 1))
        tenders, col = np.unique(s.bid_tender[ok], return_inverse=True)
        m = sp.csr_matrix((np.ones(int(ok.sum())), (s.bid_firm[ok], col)),
                          shape=(self.n, len(tenders)))
        m.data[:] = 1.0
        return m

    @cached_property
    def cobid(self) -> sp.csr_matrix:
        """Firms × firms: number of tenders both bid in (diagonal removed)."""
        c = self._self_product(self.firm_tender)
        c.setdiag(0)
        c.eliminate_zeros()
        return c

    # ---------------------------------------------------------------- registrations
    def _shared(self, firm: IntArray, target: IntArray, since: npt.NDArray[np.int32],
                until: npt.NDArray[np.int32]) -> FloatArray:
        """Per firm: how many other alive firms share one of its (address / contact) targets.
        A firm holding a target twice (its own row and a copy's, folded into it by the firm
        links, graph/firm_links.py) is one firm there."""
        ok = (since <= self.t) & (until > self.t) & self.alive[firm]
        if not ok.any():
            return np.zeros(self.n)
        pairs = np.unique(np.stack([firm[ok].astype(np.int64), target[ok].astype(np.int64)]),
                          axis=1)
        f, tg = pairs[0], pairs[1]
        uniq, inv = np.unique(tg, return_inverse=True)
        per_target = np.bincount(inv, minlength=len(uniq))
        out = np.zeros(self.n)
        np.maximum.at(out, f, per_target[inv] - 1.0)
        return out

    @cached_property
    def address_sharers(self) -> FloatArray:
        s = self.snap
        return self._shared(s.addr_firm, s.addr_id, s.addr_since, s.addr_until)

    @cached_property
    def contact_sharers(self) -> FloatArray:
        s = self.snap
        return self._shared(s.contact_firm, s.contact_id, s.contact_since, s.contact_until)

    # ---------------------------------------------------------------- registry siblings
    def _members(self, firm: IntArray, target: IntArray, since: npt.NDArray[np.int32],
                 until: npt.NDArray[np.int32]) -> sp.csr_matrix:
        """Alive firms × the keys they hold at t (a licence holder, a legal name, an address, a
        phone), binary."""
        ok = (since <= self.t) & (until > self.t) & self.alive[firm]
        if not ok.any():
            return sp.csr_matrix((self.n, 1))
        _, col = np.unique(target[ok], return_inverse=True)
        m = sp.csr_matrix((np.ones(int(ok.sum())), (firm[ok], col)),
                          shape=(self.n, int(col.max()) + 1))
        m.data[:] = 1.0
        return m

    def _siblings_through(self, members: sp.csr_matrix) -> sp.csr_matrix:
        c = self._self_product(members)
        c.setdiag(0)
        c.eliminate_zeros()
        c.data[:] = 1.0
        return c

    def _registry_links(self, kind: int) -> sp.csr_matrix:
        s = self.snap
        mine = s.shared_kind == kind
        return self._members(s.shared_firm[mine], s.shared_id[mine], s.shared_since[mine],
                             s.shared_until[mine])

    @cached_property
    def holder_siblings(self) -> sp.csr_matrix:
        """Firms × other alive firms held by the same licence holder / account at t."""
        return self._siblings_through(self._registry_links(HOLDER))

    @cached_property
    def name_siblings(self) -> sp.csr_matrix:
        """Firms × other alive firms with the same normalised legal name at t."""
        return self._siblings_through(self._registry_links(LEGAL_NAME))

    @cached_property
    def siblings(self) -> sp.csr_matrix:
        """Firms × other alive firms sharing a licence holder, a legal name, a registered
        address or a contact point at t (binary)."""
        s = self.snap
        members = sp.hstack([
            self._registry_links(HOLDER), self._registry_links(LEGAL_NAME),
            self._members(s.addr_firm, s.addr_id, s.addr_since, s.addr_until),
            self._members(s.contact_firm, s.contact_id, s.contact_since, s.contact_until),
        ]).tocsr()
        return self._siblings_through(members)

    @cached_property
    def siblings_count(self) -> FloatArray:
        return dense(self.siblings.sum(axis=1))

    @cached_property
    def inspection_violations_3y(self) -> FloatArray:
        """Per firm: inspections that found a violation (any severity) in the three years
        before t."""
        return self.count(self.kind_is(INSPECTIONS) & (self.rec("outcome") >= 1)
                          & self.within(3 * YEAR))

    @cached_property
    def inspections_3y(self) -> FloatArray:
        """Per firm: inspections in the three years before t."""
        return self.count(self.kind_is(INSPECTIONS) & self.within(3 * YEAR))

    @cached_property
    def inspection_serious_3y(self) -> FloatArray:
        """Per firm: inspections that found a serious violation in the three years before t."""
        return self.count(self.kind_is(INSPECTIONS) & (self.rec("outcome") == 2)
                          & self.within(3 * YEAR))

    # ---------------------------------------------------------------- position
    @cached_property
    def ties(self) -> sp.csr_matrix:
        """Undirected firm graph: shared people, group links, supplies, co-bidding."""
        g = self.subsidiary_of + self.branch_of
        sup = self.supply_weights.copy()
        sup.data[:] = 1.0
        cob = self.cobid.copy()
        cob.data[:] = 1.0
        parts = [sp.csr_matrix(p) for p in (self.linked, g, g.T, sup, sup.T, cob)]
        if self.rows is not None:  # the rows only (the others are not read)
            parts = [_only_rows(p, self.rows) for p in parts]
        return _union(parts)

    @cached_property
    def strong_ties(self) -> sp.csr_matrix:
        """Shared people and group links only (the 'community' of a firm)."""
        g = self.subsidiary_of + self.branch_of
        return _union([self.linked, g, sp.csr_matrix(g.T)])

    # ---------------------------------------------------------------- long-run record rates
    @cached_property
    def negative_rate(self) -> FloatArray:
        """Per firm: negative records (inspection findings excluded) per year of life, counting
        at most the last eight years."""
        neg = self.rec("negative").astype(bool) & ~self.kind_is(INSPECTIONS)
        count = self.count(neg & self.within(8 * YEAR))
        founded = self.snap.founded.astype(np.int64)
        years = np.where(founded > -500_000, (self.t - founded) / YEAR, 8.0)
        return dense(count / np.clip(years, 1.0, 8.0))

    def other_firms_rate(self, role: int) -> FloatArray:
        """Per firm: through its current holder(s) of ``role``, the mean ``negative_rate`` of the
        other firms where that (resolved) person holds any current key role (0 when none)."""
        s = self.snap
        cur = self.key_roles
        rate = self.negative_rate
        holder = self.role_person
        person_sum = np.bincount(holder[cur], weights=rate[s.role_firm[cur]],
                                 minlength=self.n_people)
        person_cnt = np.bincount(holder[cur], minlength=self.n_people).astype(np.float64)
        mine = cur & (s.role_type == role)
        p, f = holder[mine], s.role_firm[mine]
        others = person_cnt[p] - 1.0
        value = np.where(others > 0, (person_sum[p] - rate[f]) / np.maximum(others, 1.0), 0.0)
        out = np.zeros(self.n)
        np.maximum.at(out, f, value)
        return out


def signal_matrix(ctx: FeatureContext) -> FloatArray:
    """Firms × :data:`SIGNALS` of ``ctx`` (booleans as 0 / 1), for another context's
    ``signals``."""
    out = np.empty((ctx.n, len(SIGNALS)), dtype=np.float64)
    for j, name in enumerate(SIGNALS):
        out[:, j] = getattr(ctx, name)
    return out


def _union(parts: list[sp.csr_matrix]) -> sp.csr_matrix:
    """The binary union of ``parts`` (their sum, every entry 1). Added in canonical form
    (sorted copies where needed): SciPy adds matrices with unsorted rows (a product's) through
    a column-sized scratch row, slow once it leaves the cache — the tie graph took 26.1 s at
    3 M firms that way, 11.4 s sorted. Only the entries' positions and row order differ, and
    no feature reads the order within a row of the union."""
    parts = [p if p.has_canonical_format else p.sorted_indices() for p in parts]
    m = sp.csr_matrix(sum(parts[1:], parts[0]))
    m.data[:] = 1.0
    return m


def _rows_of_product(a: sp.csr_matrix, rows: npt.NDArray[np.int64]) -> sp.csr_matrix:
    """The rows ``rows`` of ``a @ a.T`` (each computed as in the whole product: a sparse
    product's row reads only that row of ``a``), the other rows empty."""
    return _embedded((a[rows] @ a.T).tocsr(), rows, a.shape[0])


def _only_rows(m: sp.csr_matrix, rows: npt.NDArray[np.int64]) -> sp.csr_matrix:
    """``m`` with the rows ``rows`` (ascending) kept as they are, the others empty."""
    return _embedded(m[rows], rows, m.shape[0])


def _embedded(part: sp.csr_matrix, rows: npt.NDArray[np.int64], n: int) -> sp.csr_matrix:
    """An ``n``-row matrix whose rows ``rows`` (ascending) are ``part``'s, the others empty."""
    counts = np.zeros(n, dtype=np.int64)
    counts[rows] = np.diff(part.indptr)
    indptr = np.concatenate([[0], np.cumsum(counts)])
    return sp.csr_matrix((part.data, part.indices, indptr), shape=(n, part.shape[1]))


def dense(values: Any) -> FloatArray:
    """A float64 array from a (sparse-product) result."""
    return np.asarray(values, dtype=np.float64).ravel()

"""Firms read through the entity resolution: a copy folds into its registry firm (issue 21).

A firm listed by several sources under different keys (the registry's USCC, a procurement
portal's ``ocds-party:…``, a licence account) is linked by ``riskgraph resolve firms`` (or a
judgement) ``(:Company)-[:SAME_AS {active: true}]->(:ResolvedEntity {kind: 'company'})``.

**A copy is a record of a firm, not a firm the model scores.** In each resolved entity the
*canonical* member is its smallest key that is a bare USCC (the registry firm), else its
smallest key (sources without a registry, e.g. licence accounts). Every other member that is
not itself a registry firm (a USCC key) is a *copy*: its dated facts (credit records, roles,
bids, group links, supplies, addresses, contact points, registry links) count for the canonical
firm, and the copy is no row of the snapshot, so no feature, training panel or ranking counts it
as a firm. Two registry firms in one entity stay two firms (a register says they are two; the
copies fold into the smaller). Firm attributes (region, founding, size) are the canonical's.

Point in time, the people's rule (graph/snapshot.py ``Snapshot.with_links``): identity is not an
event, so a link in force counts from the first day the copy appears in the data (its earliest
dated fact; a copy without one from the start), whatever the day of the decision, and a retired
link (split, move) counts at no date. :func:`firm_of` is that mapping at day ``t``. Since every
fact of a copy is dated on or after the copy's first day, mapping each fact by ``firm_of`` at its
own date maps every fact of a linked copy to its canonical firm: :func:`fold_firms` does so once,
when the snapshot is read, and the facts keep their own dates, so a copy's record issued after
``t`` still counts at no date before it (the features' own point-in-time filter).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from riskgraph.graph.identifiers import USCC, scheme_of
from riskgraph.graph.key_index import index_of

if TYPE_CHECKING:
    from riskgraph.graph.snapshot import Snapshot
    from riskgraph.graph.store import Store

IntArray = npt.NDArray[np.int64]
I32 = npt.NDArray[np.int32]
_DAY_MIN, _DAY_MAX = -1_000_000, 1_000_000  # graph/snapshot.py DAY_MIN, DAY_MAX


def is_registry_key(key: str) -> bool:
    """A bare USCC (a canonical key of the ``uscc`` scheme): a firm of the registry, never
    folded into another."""
    return scheme_of(key) == USCC


def canonical_of(keys: Any, entities: Any) -> dict[str, str]:
    """Copy key → canonical key of its entity, from active SAME_AS links (key, entity id)."""
    members: dict[str, list[str]] = {}
    for k, e in zip(np.asarray(keys, dtype=str).tolist(), np.asarray(entities, dtype=str).tolist(),
                    strict=True):
        members.setdefault(e, []).append(k)
    out: dict[str, str] = {}
    for keys_of in members.values():
        registry = sorted(k for k in keys_of if is_registry_key(k))
        canonical = registry[0] if registry else min(keys_of)
        out.update({k: canonical for k in keys_of if k != canonical and not is_registry_key(k)})
    return out


def canonical_firms(store: Store) -> dict[str, str]:
    """Copy key → canonical key from the graph's active firm links (the snapshot's reading,
    ``cypher/snapshot/list_company_same_as``), for screens that read firms by key."""
    rows = store.read("snapshot/list_company_same_as")
    row = rows[0] if rows else {}
    return canonical_of(row.get("company", []), row.get("entity", []))


@dataclass(frozen=True)
class FirmKeys:
    """Firm keys read through the resolution, for the Cypher screens that read firms by key:
    ``canonical`` maps each copy to its canonical firm (:func:`canonical_of`)."""

    canonical: dict[str, str]

    def of(self, key: str) -> str:
        """The firm ``key`` counts as: its canonical firm for a copy, else itself."""
        return self.canonical.get(key, key)

    @cached_property
    def copies(self) -> dict[str, list[str]]:
        """Canonical key → its copies' keys (sorted)."""
        out: dict[str, list[str]] = {}
        for c, f in sorted(self.canonical.items()):
            out.setdefault(f, []).append(c)
        return out

    def records(self, key: str) -> list[str]:
        """Every key of the firm ``key`` counts as (the firm first, then its copies); a key
        neither a copy nor a canonical firm with copies is its only record."""
        firm = self.of(key)
        return [firm, *self.copies.get(firm, [])]

    def owners(self, keys: Any) -> dict[str, list[str]]:
        """Record key → the given keys whose firm it is a record of (each given key owns its
        firm's records: a copy's roles and records count for its registry firm)."""
        out: dict[str, list[str]] = {}
        for key in sorted({str(k) for k in keys}):
            for record in self.records(key):
                out.setdefault(record, []).append(key)
        return out

    def same_firm(self, a: str, b: str) -> bool:
        """Whether two keys are records of one firm (a firm and its copy, two copies)."""
        return self.of(a) == self.of(b)


def firm_keys(store: Store, keys: Any) -> FirmKeys:
    """The :class:`FirmKeys` of the firm entities ``keys`` are linked to now
    (``cypher/resolution/list_company_entities_of``): enough to read those firms, their copies
    and their canonical firms by key, without reading every link of the graph."""
    wanted = sorted({str(k) for k in keys})
    if not wanted:
        return FirmKeys({})
    rows = store.read("resolution/list_company_entities_of", usccs=wanted)
    members = [str(m) for r in rows for m in r["members"]]
    entities = [str(r["entity"]) for r in rows for _ in r["members"]]
    return FirmKeys(canonical_of(members, entities))


def all_firm_keys(store: Store) -> FirmKeys:
    """The :class:`FirmKeys` of every active firm link (:func:`canonical_firms`)."""
    return FirmKeys(canonical_firms(store))


@dataclass(frozen=True)
class FirmLinks:
    """Per linked copy (snapshot row): the canonical row and the first day the link counts."""

    copy: IntArray
    into: IntArray
    since: I32


def _facts(s: Snapshot) -> list[tuple[str, str, npt.NDArray[Any] | None]]:
    """(firm-index array, start-date array, row mask) of every firm-indexed fact table."""
    firm_rec = ~s.rec_on_person
    return [("role_firm", "role_since", None), ("link_child", "link_since", None),
            ("link_parent", "link_since", None), ("sup_supplier", "sup_since", None),
            ("sup_customer", "sup_since", None), ("addr_firm", "addr_since", None),
            ("contact_firm", "contact_since", None), ("shared_firm", "shared_since", None),
            ("bid_firm", "bid_published", None), ("rec_subject", "rec_issued", firm_rec)]


def first_seen(s: Snapshot) -> I32:
    """Per firm row: the first day it appears in the data (its earliest dated fact); DAY_MIN
    for a row with no dated fact."""
    out = np.full(s.n_firms, _DAY_MAX, dtype=np.int32)
    for firm, start, mask in _facts(s):
        idx, day = getattr(s, firm), getattr(s, start)
        if mask is not None:
            idx, day = idx[mask], day[mask]
        np.minimum.at(out, idx, day)
    out[out == _DAY_MAX] = _DAY_MIN
    return out


def firm_links(s: Snapshot, keys: Any, entities: Any) -> FirmLinks:
    """The copies of ``s`` linked to a canonical firm of ``s`` (links of keys not in the
    snapshot are dropped), each dated by the resolution rule."""
    pairs = sorted(canonical_of(keys, entities).items())
    uscc = s.uscc.astype(str)
    copy = index_of(uscc, np.asarray([c for c, _ in pairs], dtype=str))
    into = index_of(uscc, np.asarray([k for _, k in pairs], dtype=str))
    ok = (copy >= 0) & (into >= 0)
    copy, into = copy[ok], into[ok]
    return FirmLinks(copy, into, first_seen(s)[copy] if len(copy) else np.zeros(0, np.int32))


def firm_of(s: Snapshot, links: FirmLinks, t: int) -> IntArray:
    """Per firm row: the row it counts as at day ``t`` (its canonical firm once its link counts,
    else itself); the firms' counterpart of ``Snapshot.person_of``."""
    out = np.arange(s.n_firms, dtype=np.int64)
    ok = links.since <= t
    out[links.copy[ok]] = links.into[ok]
    return out


def fold_firms(s: Snapshot, keys: Any, entities: Any) -> Snapshot:
    """``s`` read through the firm links (key, entity id): every fact of a linked copy counts for
    its canonical firm at the fact's own date (:func:`firm_of`), and the copies are no rows.
    Without links, ``s`` itself (its digest unchanged)."""
    links = firm_links(s, keys, entities)
    if not len(links.copy):
        return s
    since = np.full(s.n_firms, _DAY_MAX, dtype=np.int32)
    since[links.copy] = links.since
    into = np.arange(s.n_firms, dtype=np.int64)
    into[links.copy] = links.into
    keep = np.ones(s.n_firms, dtype=bool)
    keep[links.copy] = False
    row = np.cumsum(keep) - 1  # new row of each kept firm
    changes: dict[str, Any] = {}
    for firm, start, mask in _facts(s):
        idx = getattr(s, firm).copy()
        sel = np.ones(len(idx), dtype=bool) if mask is None else mask  # firm-indexed rows
        mine, day = idx[sel], getattr(s, start)[sel]
        folds = since[mine] <= day
        assert not (~keep[mine] & ~folds).any(), "a copy's fact before its first day"
        mine[folds] = into[mine[folds]]
        idx[sel] = row[mine]
        changes[firm] = idx
    for name in ("uscc", "company_node", "region", "industry", "ownership", "founded",
                 "dissolved", "employees", "listed"):
        changes[name] = getattr(s, name)[keep]
    folded = replace(s, **changes)
    # a copy's group link or supply to its own firm is no link between two firms
    links_ok = folded.link_child != folded.link_parent
    sup_ok = folded.sup_supplier != folded.sup_customer
    return replace(folded, **{
        n: getattr(folded, n)[links_ok] for n in ("link_child", "link_parent", "link_kind",
                                                  "link_since", "link_until")}, **{
        n: getattr(folded, n)[sup_ok] for n in ("sup_supplier", "sup_customer", "sup_value",
                                                "sup_since", "sup_until")})

"""The keys of one firm read through the firm links, for statements that look firms up by key
(issue 21; the snapshot's reading is graph/firm_links.py).

A firm listed by several sources is one *canonical* key (its registry firm) and the *copies*
that fold into it (:func:`graph.firm_links.canonical_of`, the one rule). A Cypher read that
starts from a firm passes the firm's keys (:attr:`FirmGroup.keys`), and a read that reaches
other firms returns each one's entity members (``entity``, ``members``) so that
:func:`canonical_in` names it by the firm the model counts, as the folded snapshot does.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from riskgraph.graph.firm_links import canonical_of
from riskgraph.graph.store import Store

MEMBERS = "api/list_company_link_members"


@dataclass(frozen=True)
class FirmGroup:
    """A key read through the firm links: the firm it counts as and that firm's keys."""

    key: str
    canonical: str
    """The key it counts as: its registry firm for a linked copy, else itself."""
    keys: tuple[str, ...]
    """The canonical key first, then its copies (sorted): every key whose facts are its."""

    @property
    def copies(self) -> tuple[str, ...]:
        return self.keys[1:]


def canonical_in(key: str, entity: Any, members: Iterable[str]) -> str:
    """The canonical key of ``key``, given its entity and the entity's members (a row of
    :data:`MEMBERS`, or the ``entity`` / ``members`` columns of a statement reaching firms)."""
    return group_in(key, entity, members).canonical


def group_in(key: str, entity: Any, members: Iterable[str]) -> FirmGroup:
    """The group of ``key`` from its entity's members (no entity: the key alone)."""
    keys = sorted({str(m) for m in members} | {key}) if entity is not None else [key]
    to = canonical_of(keys, [str(entity)] * len(keys)) if entity is not None else {}
    canonical = to.get(key, key)
    copies = sorted(k for k, c in to.items() if c == canonical)
    return FirmGroup(key, canonical, (canonical, *copies))


def groups_from_rows(keys: Iterable[str], rows: Iterable[Mapping[str, Any]]
                     ) -> dict[str, FirmGroup]:
    """Per key: its group, from the rows of :data:`MEMBERS` (a key without a row: alone)."""
    by_key: dict[str, tuple[Any, set[str]]] = {}
    for r in rows:
        entity, members = by_key.get(str(r["uscc"]), (None, set()))
        if r.get("entity") is not None:
            entity = r["entity"] if entity is None else min(str(entity), str(r["entity"]))
            members |= {str(m) for m in r.get("members") or []}
        by_key[str(r["uscc"])] = (entity, members)
    return {k: group_in(k, *by_key.get(k, (None, set()))) for k in keys}


def firm_groups(store: Store, keys: list[str]) -> dict[str, FirmGroup]:
    """Per key: the firm it counts as and that firm's keys, in one read."""
    return groups_from_rows(keys, store.read(MEMBERS, usccs=list(keys)) if keys else [])


def firm_group(store: Store, key: str) -> FirmGroup:
    """The group of one key (alone when it is unlinked or not in the graph)."""
    return firm_groups(store, [key])[key]

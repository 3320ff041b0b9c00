"""The explanation's graph evidence read through the firm links (issue 21): rows of the
``explain/*`` statements that reach other firms, named by the firm each key counts as.

The features count the folded snapshot (graph/firm_links.py): a copy's bids, registrations,
roles and bans are its registry firm's, a copy is no firm of its own, and a firm attribute
(founding, dissolution) is the registry firm's. Each statement returns, per other key, its
entity's members; these functions group the rows by the canonical key
(graph/store/firm_groups.py), so an evidence line names what the model counted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from riskgraph.graph.store.firm_groups import FirmGroup, group_in

Row = Mapping[str, Any]


def _group(row: Row) -> tuple[FirmGroup, dict[str, Mapping[str, Any]]]:
    """The group of a row's other key and its entity's members by key (the key itself when
    unlinked)."""
    members = {str(m["key"]): m for m in row.get("members") or [] if m.get("key") is not None}
    return group_in(str(row["other_uscc"]), row.get("entity"), members), members


def _head(row: Row, group: FirmGroup, members: dict[str, Mapping[str, Any]],
          prefix: str = "other_") -> Mapping[str, Any]:
    """The canonical firm's attributes: its member entry, or the row's own for an unlinked key."""
    if group.canonical in members:
        return members[group.canonical]
    return {k[len(prefix):]: v for k, v in row.items() if k.startswith(prefix)} | {
        "key": group.canonical}


@dataclass
class Firm:
    """Another firm reached, as the model counts it: its canonical key and name, the keys it
    was reached under and what links it (tenders, addresses, bans)."""

    uscc: str
    name: str
    keys: set[str] = field(default_factory=set)
    via: set[str] = field(default_factory=set)

    @property
    def other_keys(self) -> list[str]:
        """The keys it was reached under other than its own (its copies)."""
        return sorted(self.keys - {self.uscc})


def cobidders(rows: Iterable[Row]) -> list[Firm]:
    """Co-bidders (``explain/list_cobidder_records`` rows) per firm with the tenders shared
    with it (``via``), most tenders first then by key: the first one's count is
    ``cobid_max_repeat``."""
    out: dict[str, Firm] = {}
    for r in rows:
        group, members = _group(r)
        head = _head(r, group, members)
        firm = out.setdefault(group.canonical, Firm(group.canonical, str(head.get("name") or "")))
        firm.keys.add(str(r["other_uscc"]))
        firm.via |= {str(t) for t in r.get("tenders") or []}
    return sorted(out.values(), key=lambda f: (-len(f.via), f.uscc))


def _alive(head: Mapping[str, Any], when: dt.date) -> bool:
    """Founded by ``when`` and not dissolved by then (features/context.py ``alive``)."""
    founded, dissolved = head.get("founded_on"), head.get("dissolved_on")
    return ((founded in (None, "") or dt.date.fromisoformat(str(founded)) <= when)
            and (dissolved in (None, "") or dt.date.fromisoformat(str(dissolved)) > when))


def sharers(rows: Iterable[Row], link: str, when: dt.date) -> list[tuple[str, list[Firm]]]:
    """Per shared address (or contact) of kind ``link``: the live firms sharing it
    (``explain/list_address_sharers`` rows), the address with the most first (its count is
    the feature's), each address's firms by key."""
    by_target: dict[str, dict[str, Firm]] = {}
    text: dict[str, str] = {}
    for r in rows:
        if r["link"] != link:
            continue
        group, members = _group(r)
        head = _head(r, group, members)
        if not _alive(head, when):
            continue
        target = str(r["shared_id"])
        text[target] = str(r.get("shared") or "")
        firm = by_target.setdefault(target, {}).setdefault(
            group.canonical, Firm(group.canonical, str(head.get("name") or "")))
        firm.keys.add(str(r["other_uscc"]))
    ordered = sorted(by_target.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    return [(text[t], [firms[k] for k in sorted(firms)]) for t, firms in ordered]


@dataclass
class PhoenixPath:
    """A key person of the firm who held a role in a firm dissolved after a ban."""

    person_id: str
    person_name: str
    role_here: str
    role_there: str
    firm: Firm
    dissolved_on: str
    ban: Mapping[str, Any]


def phoenix_paths(rows: Iterable[Row], when: dt.date) -> list[PhoenixPath]:
    """The rows of ``explain/list_phoenix_paths`` whose firm (the canonical of the key the
    person held a role in) was dissolved by ``when`` after a ban published under any of its
    keys, one per (firm, person, roles, ban)."""
    out: dict[tuple[str, ...], PhoenixPath] = {}
    for r in rows:
        group, members = _group(r)
        head = _head(r, group, members)
        dissolved = head.get("dissolved_on")
        if dissolved in (None, "") or str(dissolved) > when.isoformat():
            continue
        firm = Firm(group.canonical, str(head.get("name") or ""), {str(r["other_uscc"])})
        for key in group.keys:
            for ban in (members.get(key) or {}).get("bans") or []:
                if str(ban["issued_on"]) > str(dissolved):
                    continue
                firm.via.add(str(ban["record_id"]))
                path = PhoenixPath(str(r["person_id"]), str(r.get("person_name") or ""),
                                   str(r["role_here"]), str(r["role_there"]), firm,
                                   str(dissolved), ban)
                out.setdefault((firm.uscc, path.person_id, path.role_here, path.role_there,
                                str(ban["record_id"])), path)
    return [out[k] for k in sorted(out)]

"""Network queries: ownership penetration, related parties, shared people, shortest connection
and phoenix candidates."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import defaultdict
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from riskgraph.app.graphql.common.arguments import After, AsOf, Before, First, Last, Uscc, about
from riskgraph.app.graphql.common.pagination import Connection, Page, Window, connection_of, window
from riskgraph.app.graphql.errors import LimitExceeded
from riskgraph.app.graphql.limits import MAX_HOPS, page_size
from riskgraph.app.graphql.loaders import loaders_of, read
from riskgraph.app.graphql.network.types import (
    Channel,
    Controller,
    Link,
    OwnershipPath,
    PathNode,
    PhoenixCandidate,
    PhoenixPath,
    RelatedParty,
    SharedPerson,
    ShortestPath,
)
from riskgraph.app.graphql.registry.resolvers import clean_uscc, require_company
from riskgraph.app.graphql.registry.types import load_companies, load_person
from riskgraph.graph.errors import BadInput
from riskgraph.graph.identifiers import lookup_firm_id
from riskgraph.graph.store import Store
from riskgraph.graph.store.data_date import data_date
from riskgraph.graph.store.firm_groups import FirmGroup, group_in

MAX_OWNERSHIP_DEPTH = 10
OWNERSHIP_PATH_LIMIT = 500
LINKS_PER_HOP = 5000
"""Links read per hop of a related-party search (one per firm pair and channel)."""
FIRST_CHUNK = 8
"""Frontier firms expanded by the first read of a hop (then 16, 32, ...)."""
DEFAULT_RELATED, MAX_RELATED = 100, 500
MAX_CONNECTION = 8

MaxDepth = Annotated[int, about("Holdings along a path at most, 1 to 6.")]
FirmA = Annotated[str, about("The first firm's identifier.")]
FirmB = Annotated[str, about("The second firm's identifier.")]


AS_OF_RULE = ("as of asOf, by default the graph's data date (the day after its newest credit "
              "record), as every command")


async def _as_of(info: Info[Any, Any], as_of: dt.date | None) -> str:
    """``asOf`` when given, else the graph's data date (graph/store/data_date.py: the one as-of
    rule)."""
    if as_of is not None:
        return as_of.isoformat()
    db = loaders_of(info).db
    db.remaining()
    return (await asyncio.to_thread(data_date, Store.open(db.driver, db.database))).isoformat()


def _node(value: dict[str, Any]) -> PathNode:
    return PathNode(label=str(value.get("label") or ""), id=str(value.get("id") or ""),
                    name=None if value.get("name") is None else str(value["name"]))


async def _ownership_paths(info: Info[Any, Any], uscc: str, max_depth: int,
                           as_of: dt.date | None) -> list[OwnershipPath]:
    if not 1 <= max_depth <= MAX_OWNERSHIP_DEPTH:
        raise BadInput(f"argument maxDepth: must be 1..{MAX_OWNERSHIP_DEPTH}, got {max_depth}")
    code = (await require_company(info, uscc)).uscc
    rows = await read(info, "list_ownership_paths", uscc=code, max_depth=max_depth,
                      as_of=await _as_of(info, as_of), limit=OWNERSHIP_PATH_LIMIT)
    return [OwnershipPath(nodes=[_node(n) for n in r["nodes"]],
                          shares=[None if s is None else float(s) for s in r["shares"]],
                          effective_share=_fraction(r["effective"]),
                          terminal=bool(r["terminal"]))
            for r in rows]


def _fraction(value: Any) -> float | None:
    return None if value is None else float(value)


def _total(paths: list[OwnershipPath]) -> float | None:
    """The sum of the paths' effective shares; unknown (None) when one of them is unknown."""
    shares = [p.effective_share for p in paths]
    return None if None in shares else sum(s for s in shares if s is not None)


async def resolve_ownership_chain(info: Info[Any, Any], uscc: Uscc, max_depth: MaxDepth = 6,
                                  as_of: AsOf = None) -> list[OwnershipPath]:
    """Every simple equity path into the firm, largest effective share first."""
    return await _ownership_paths(info, uscc, max_depth, as_of)


async def resolve_ultimate_controllers(info: Info[Any, Any], uscc: Uscc,
                                       max_depth: MaxDepth = 6,
                                       as_of: AsOf = None) -> list[Controller]:
    """Top holders (no holder of their own outside the path) with penetrated shares; a holder
    reached through a link of unknown share has an unknown (null) share and comes last."""
    paths = [p for p in await _ownership_paths(info, uscc, max_depth, as_of) if p.terminal]
    by_holder: dict[tuple[str, str], list[OwnershipPath]] = defaultdict(list)
    for p in paths:
        by_holder[(p.nodes[0].label, p.nodes[0].id)].append(p)
    out = [Controller(holder=ps[0].nodes[0], effective_share=_total(ps), paths=ps)
           for ps in by_holder.values()]
    return sorted(out, key=lambda c: (c.effective_share is None, -(c.effective_share or 0.0),
                                      c.holder.id))


def _link(row: dict[str, Any]) -> Link:
    via = (PathNode(label=str(row["via_label"]), id=str(row["via_id"]),
                    name=None if row.get("via_name") is None else str(row["via_name"]))
           if row.get("via_label") else None)
    return Link(from_uscc=str(row["src"]), to_uscc=str(row["dst"]),
                channel=Channel(row["channel"]), via=via, detail=str(row.get("detail") or ""))


async def _hop_links(info: Info[Any, Any], frontier: list[str], keys_of: dict[str, FirmGroup],
                     channels: list[str], seen: list[str], need: int) -> list[dict[str, Any]]:
    """One hop's links, read for the (sorted) frontier in growing chunks until ``need`` new
    firms are found: the rows come in the same (source, target) order as one read of the whole
    frontier, but a hub-heavy frontier is not expanded past what the page needs. Links from
    frontier firms after the stop are not read (``links`` lists those found). Firms are read
    through the firm links: a frontier firm is all its keys (``keys_of``), ``seen`` holds every
    key of the firms reached, and each row names the linked key's group (``group``)."""
    rows: list[dict[str, Any]] = []
    targets: set[str] = set()
    start, size = 0, FIRST_CHUNK
    while start < len(frontier):
        chunk = [{"src": u, "keys": list(keys_of[u].keys)} for u in frontier[start:start + size]]
        part = await read(info, "list_related_firm_links", frontier=chunk, channels=channels,
                          seen=seen, limit=LINKS_PER_HOP - len(rows))
        for r in part:
            r["group"] = group_in(str(r["dst"]), r.get("entity"), r.get("members") or [])
        rows += part
        targets.update(r["group"].canonical for r in part)
        start, size = start + size, size * 2
        if len(targets) >= need or len(rows) >= LINKS_PER_HOP:
            break
    return _by_firm(rows)


def _by_firm(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows named by the firm each linked key counts as (a copy by its registry firm), one
    per (source, firm, channel): the one of the smallest ``via_id`` (as the statement picks per
    key), in (source, firm, channel) order."""
    best: dict[tuple[str, str, str], dict[str, Any]] = {}
    for r in rows:
        group: FirmGroup = r["group"]
        r = {**r, "dst": group.canonical}
        key = (str(r["src"]), group.canonical, str(r["channel"]))
        old = best.get(key)
        if old is None or str(r.get("via_id") or "") < str(old.get("via_id") or ""):
            best[key] = r
    return [best[k] for k in sorted(best)]


async def resolve_related_parties(
        info: Info[Any, Any], uscc: Uscc,
        hops: Annotated[int, about("Links away from the firm, 1 to 3.")] = 1,
        channels: Annotated[list[Channel] | None, about("Kinds of link to follow (default: "
                                                        "all).")] = None,
        first: Annotated[int | None, about("How many firms at most (default 100).")] = None
) -> list[RelatedParty]:
    """Firms within ``hops`` links by the chosen channels (default: all), nearest first (at
    most ``first``), each with one shortest chain of links from the firm and every link (one
    per firm and channel) that reached it at that distance."""
    if not 1 <= hops <= MAX_HOPS:
        raise BadInput(f"argument hops: must be 1..{MAX_HOPS}, got {hops}")
    wanted = DEFAULT_RELATED if first is None else first
    if wanted < 1:
        raise BadInput(f"argument first: must be at least 1, got {wanted}")
    if wanted > MAX_RELATED:
        raise LimitExceeded(f"argument first: at most {MAX_RELATED} firms, got {wanted}")
    chosen = [str(c.value) for c in (channels or list(Channel))]
    if not chosen:
        raise BadInput("argument channels: choose at least one channel")
    start = (await require_company(info, uscc)).uscc
    own = await loaders_of(info).firm_group.load(start)  # a copy reads as its whole firm
    keys_of = {start: FirmGroup(start, start, own.keys)}
    seen = {start, *own.keys}
    reached_at: dict[str, int] = {}
    links_to: dict[str, list[Link]] = defaultdict(list)
    parent: dict[str, Link] = {}
    frontier = [start]
    for hop in range(1, hops + 1):
        if not frontier:
            break
        rows = await _hop_links(info, sorted(frontier), keys_of, chosen, sorted(seen),
                                wanted - len(reached_at))
        new: list[str] = []
        for row in rows:
            link = _link(row)
            target = link.to_uscc
            if target in seen and target not in reached_at:
                continue  # the start firm's own key (a copy reached through its firm's link)
            if target not in reached_at:
                if len(reached_at) >= wanted:
                    continue
                reached_at[target] = hop
                parent[target] = link
                new.append(target)
                keys_of[target] = row["group"]
            links_to[target].append(link)
        seen.update(new)
        seen.update(k for t in new for k in keys_of[t].keys)
        if len(reached_at) >= wanted:
            break
        frontier = new
    companies = {c.uscc: c for c in await load_companies(info, list(reached_at))}
    out = []
    for target, hop in sorted(reached_at.items(), key=lambda kv: (kv[1], kv[0])):
        chain: list[Link] = []
        node = target
        while node != start:
            chain.insert(0, parent[node])
            node = parent[node].from_uscc
        if target in companies:
            out.append(RelatedParty(company=companies[target], hops=hop, path=chain,
                                    links=links_to[target]))
    return out


async def resolve_shared_people(info: Info[Any, Any], a: FirmA, b: FirmB) -> list[SharedPerson]:
    """People holding roles (or shares) in both firms, each firm read with its copies (another
    source's record of it, linked SAME_AS); BAD_INPUT when ``a`` and ``b`` are two records of
    one firm."""
    first, second = (await require_company(info, a)).uscc, (await require_company(info, b)).uscc
    ga, gb = await loaders_of(info).firm_group.load_many([first, second])
    if first != second and ga.canonical == gb.canonical:
        raise BadInput(f"arguments a and b: {first} and {second} are records of one firm "
                       f"({ga.canonical}); name two different firms")
    rows = await read(info, "list_shared_people", a=list(ga.keys), b=list(gb.keys))
    out = []
    for r in rows:
        person = await load_person(info, str(r["person_id"]))
        if person is not None:
            out.append(SharedPerson(person=person, roles_in_a=list(r["roles_in_a"]),
                                    roles_in_b=list(r["roles_in_b"])))
    return out


async def resolve_shortest_connection(
        info: Info[Any, Any], a: FirmA, b: FirmB,
        max_length: Annotated[int, about("Links in the path at most, 1 to 6.")] = 6
) -> ShortestPath | None:
    """The shortest chain of structural links between two firms (null if none within
    ``maxLength`` links)."""
    if not 1 <= max_length <= MAX_CONNECTION:
        raise BadInput(f"argument maxLength: must be 1..{MAX_CONNECTION}, got {max_length}")
    first, second = clean_uscc(a), clean_uscc(b)
    if first == second:
        raise BadInput("arguments a and b: name two different firms")
    await require_company(info, first)
    await require_company(info, second)
    rows = await read(info, "get_shortest_connection", a=first, b=second)
    if not rows or len(rows[0]["types"]) > max_length:
        return None
    return ShortestPath(length=len(rows[0]["types"]), nodes=[_node(n) for n in rows[0]["nodes"]],
                      relationships=[str(t) for t in rows[0]["types"]])


def _phoenix_path(p: dict[str, Any]) -> PhoenixPath:
    def opt(key: str) -> str | None:
        return None if p.get(key) is None else str(p[key])

    return PhoenixPath(person_id=str(p["person_id"]), person_name=opt("person_name"),
                       role_here=str(p["role_here"]), role_there=str(p["role_there"]),
                       other_uscc=str(p["other_uscc"]), other_name=opt("other_name"),
                       dissolved_on=opt("dissolved_on"), record_id=str(p["record_id"]),
                       kind=opt("kind"), issued_on=opt("issued_on"))


async def resolve_phoenix_candidates(info: Info[Any, Any], first: First = None,
                                     after: After = None,
                                     as_of: AsOf = None) -> list[PhoenixCandidate]:
    """The former list form of :func:`resolve_phoenix_firms` (``after`` = the last USCC)."""
    win = Window(lookup_firm_id(after or ""), "", page_size(first), False)
    return (await _phoenix_page(info, as_of, win)).nodes()


async def resolve_phoenix_firms(info: Info[Any, Any], first: First = None,
                                after: After = None, last: Last = None,
                                before: Before = None,
                                as_of: AsOf = None) -> Page[PhoenixCandidate]:
    """Active firms whose key persons led a firm blacklisted and then dissolved (only
    blacklistings the caller may see count), by USCC."""
    return await _phoenix_page(info, as_of, window(first, after, last, before))


async def _phoenix_page(info: Info[Any, Any], as_of: dt.date | None,
                        win: Window) -> Page[PhoenixCandidate]:
    rows = await read(info, "list_phoenix_candidates", as_of=await _as_of(info, as_of),
                      **win.params())
    companies = {c.uscc: c for c in await load_companies(info, [str(r["uscc"]) for r in rows])}

    def candidate(r: dict[str, Any]) -> PhoenixCandidate:
        paths = [_phoenix_path(p) for p in r["paths"]]
        return PhoenixCandidate(company=companies[str(r["uscc"])], paths=sorted(
            paths, key=lambda p: (p.other_uscc, p.person_id, p.record_id)))

    return connection_of([r for r in rows if str(r["uscc"]) in companies], win, "uscc",
                         candidate)


@strawberry.type
class NetworkQuery:
    ownership_chain: list[OwnershipPath] | None = strawberry.field(
        resolver=resolve_ownership_chain,
        description="Simple equity paths into a firm with the product of their shares, "
                    f"{AS_OF_RULE}.")
    ultimate_controllers: list[Controller] | None = strawberry.field(
        resolver=resolve_ultimate_controllers,
        description="Top holders of a firm with their penetrated (effective) shares, "
                    f"{AS_OF_RULE}.")
    related_parties: list[RelatedParty] | None = strawberry.field(
        resolver=resolve_related_parties,
        description="Firms within hops (<= 3) links by the chosen channels, with the paths; "
                    "each firm read with its copies (other sources' records of it, see "
                    "`Company.copies`), which are never its related parties.")
    shared_people: list[SharedPerson] | None = strawberry.field(
        resolver=resolve_shared_people,
        description="People with roles in both firms, each firm read with its copies (other "
                    "sources' records of it, see `Company.copies`).")
    shortest_connection: ShortestPath | None = strawberry.field(
        resolver=resolve_shortest_connection,
        description="The shortest chain of links between two firms.")
    phoenix_candidates: list[PhoenixCandidate] | None = strawberry.field(
        resolver=resolve_phoenix_candidates,
        description="Active firms led by people of blacklisted-then-dissolved firms, "
                    f"{AS_OF_RULE}.",
        deprecation_reason="Use phoenixFirms (a connection); removed in 0.3.")
    phoenix_firms: Connection[PhoenixCandidate] | None = strawberry.field(
        resolver=resolve_phoenix_firms,
        description="Active firms led by people of blacklisted-then-dissolved firms (only "
                    f"blacklistings the caller may see count), by USCC, {AS_OF_RULE}.")

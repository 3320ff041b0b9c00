"""Entity resolution as stored, of people and of firms, without data loss (issue 21).

Source records stay as loaded: ``Person`` nodes, and for firms the ``Company`` records of
several sources under their own keys (USCC or namespaced id). A resolved cluster is a
``(:ResolvedEntity)`` that its members link to with ``-[:SAME_AS]->``; every link carries the
decision that made it (score, method ``splink`` or ``judgement``, actor, time, the evidence of
the pair that brought the member in). Nothing is deleted: a split or a move retires the link
(``active = false``, ``until``, ``ended_by``) and the history stays readable. Every run,
judgement and split is a ``(:ResolutionDecision)`` and an event of the audit trail
(graph/store/audit.py), written in the same transaction. Investigators' judgements are
``(:MatchJudgement)`` nodes of a kind (``person`` or ``company``); a "not same" is a hard
constraint on every later run (models/resolution/clusters.py) and splits a pair already merged;
a "same" links the pair at once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from neo4j import ManagedTransaction

from riskgraph.graph.driver import run_tx
from riskgraph.graph.errors import BadInput, NotFound
from riskgraph.graph.store import Store
from riskgraph.graph.store.audit import append_event

VERDICTS = ("same", "not_same", "unsure")
KINDS = ("person", "company")
_STATEMENTS = {
    "person": {"link": "resolution/link_persons", "retire": "resolution/retire_link",
               "entities": "resolution/get_people_entities",
               "members": "resolution/list_entity_members",
               "judgement": "resolution/create_judgement",
               "history": "resolution/list_person_links",
               "queue": "resolution/list_open_candidates",
               "key": "person_id", "keys": "person_ids", "noun": "Person with person_id"},
    "company": {"link": "resolution/link_companies", "retire": "resolution/retire_company_link",
                "entities": "resolution/get_company_entities",
                "members": "resolution/list_company_entity_members",
                "judgement": "resolution/create_company_judgement",
                "history": "resolution/list_company_links",
                "queue": "resolution/list_open_company_candidates",
                "key": "record_id", "keys": "record_ids", "noun": "Company with key"},
}
"""Per kind of record: the statements of the same machinery (firms: Company records of several
sources, keyed by their USCC or namespaced id)."""
MAX_NOTE = 2000


@dataclass
class Judgement:
    """A judgement on a pair of records of ``kind`` (not frozen: app/graphql/resolution's
    ``MatchJudgement`` type is built from it, and strawberry types cannot inherit a frozen
    dataclass)."""

    judgement_id: str
    pair_id: str
    kind: str
    a: str
    b: str
    verdict: str
    note: str
    actor: str
    at: str


def check_kind(kind: str) -> str:
    """``kind`` if it is a kind of record resolved here; BadInput naming it otherwise."""
    if kind not in _STATEMENTS:
        raise BadInput(f"resolution kind {kind!r}: expected one of {', '.join(KINDS)}",
                       field="kind")
    return kind


def _kind(kind: str) -> dict[str, str]:
    return _STATEMENTS[check_kind(kind)]


def pair_id(a: str, b: str) -> str:
    lo, hi = sorted((a, b))
    return f"{lo}|{hi}"


def entity_id(kind: str, first_member: str) -> str:
    digest = hashlib.sha1(f"{kind}\0{first_member}".encode(), usedforsecurity=False)
    return f"ent-{digest.hexdigest()[:16]}"


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def _decision_id() -> str:
    return f"dec-{uuid.uuid4().hex[:20]}"


def person_records(store: Store) -> list[dict[str, Any]]:
    """Every Person as a resolution record (name, birth date, masked id, address, firms)."""
    return store.read("resolution/list_person_records")


def company_records(store: Store) -> list[dict[str, Any]]:
    """Every Company as a firm resolution record (key, name, USCC, address, key persons)."""
    return store.read("resolution/list_company_records")


def active_links(store: Store) -> dict[str, str]:
    """person_id → entity_id of every active link."""
    return {r["person_id"]: r["entity_id"]
            for r in store.read("resolution/list_active_links")}


def apply_run(store: Store, links: Sequence[dict[str, Any]],
              candidates: Sequence[dict[str, Any]], *, actor: str, method: str,
              detail: dict[str, Any], kind: str = "person") -> str:
    """Write one resolution run: ``links`` (person_id, or record_id for firms, entity_id,
    weight, probability, method, via, evidence) and the review ``candidates`` (a, b, weight,
    probability, evidence), as one decision with its audit event; returns the decision id."""
    names = _kind(kind)
    decision, at = _decision_id(), _now()

    def write_it(tx: ManagedTransaction) -> None:
        run_tx(tx, "resolution/create_decision", decision_id=decision, action="run", at=at,
               actor=actor, method=method, detail=json.dumps(detail, sort_keys=True))
        for start in range(0, len(links), 5000):
            run_tx(tx, names["link"], rows=list(links[start:start + 5000]),
                   decision_id=decision, at=at, actor=actor)
        rows = [{**c, "pair_id": pair_id(c["a"], c["b"])} for c in candidates]
        for start in range(0, len(rows), 5000):
            run_tx(tx, "resolution/merge_candidates", rows=rows[start:start + 5000],
                   decision_id=decision, at=at, kind=kind)
        append_event(tx, actor=actor, action="resolution.run", subject_type="ResolutionDecision",
                     subject_id=decision, after={"links": len(links), "kind": kind,
                                                 "candidates": len(candidates), **detail})

    store.write_tx(write_it)
    return decision


def check_judgement(a: str, b: str, verdict: str, note: str) -> tuple[str, str, str, str]:
    """Normalised (a, b, verdict, note); BadInput naming the field that is wrong."""
    a, b = (a or "").strip(), (b or "").strip()
    if not a or not b:
        raise BadInput("judgement: both person ids are required", field="a" if not a else "b")
    if a == b:
        raise BadInput(f"judgement: a person is always the same as itself ({a!r})", field="b")
    verdict = (verdict or "").strip().lower().replace("-", "_").replace(" ", "_")
    if verdict not in VERDICTS:
        raise BadInput(f"judgement verdict {verdict!r}: expected one of {', '.join(VERDICTS)}",
                       field="verdict")
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise BadInput(f"judgement note: {len(note)} characters, at most {MAX_NOTE}",
                       field="note")
    if any(ord(c) < 32 and c not in "\n\t" for c in note):
        raise BadInput("judgement note: control characters are not allowed", field="note")
    return a, b, verdict, note


def judge(store: Store, a: str, b: str, verdict: str, note: str, *, actor: str,
          kind: str = "person") -> Judgement:
    """Record a judgement (audited). "same" links both to one entity at once; "not_same" on a
    merged pair splits ``b`` out; "unsure" only records. ``kind`` "company" judges two firm
    records (their keys) with the same machinery."""
    names = _kind(kind)
    a, b, verdict, note = check_judgement(a, b, verdict, note)
    if not actor.strip():
        raise BadInput("judgement: the actor is required")
    links = _entities(store, (a, b), kind)
    if missing := [p for p in (a, b) if p not in links]:
        raise NotFound(f"no {names['noun']} {missing[0]!r}",
                       field="a" if missing[0] == a else "b")
    j = Judgement(judgement_id=f"jdg-{uuid.uuid4().hex[:20]}", pair_id=pair_id(a, b), kind=kind,
                  a=a, b=b, verdict=verdict, note=note, actor=actor, at=_now())

    def write_it(tx: ManagedTransaction) -> None:
        rows = run_tx(tx, names["judgement"], judgement_id=j.judgement_id,
                      pair_id=j.pair_id, a=a, b=b, verdict=verdict, note=note, actor=actor,
                      at=j.at)
        if not rows:
            raise NotFound(f"no {names['noun']} {a!r} or {b!r}")
        before = {"a": links[a], "b": links[b]}
        after = dict(before)
        if verdict == "same":
            target = links[a] or links[b] or entity_id(kind, min(a, b))
            movers = [p for p in (a, b) if links[p] != target]
            movers += _members(tx, links[b], kind) if links[b] and links[b] != target else []
            if movers:
                _link(tx, sorted(set(movers)), target, j, "merge")
            after = {"a": target, "b": target}
        elif verdict == "not_same" and links[a] and links[a] == links[b]:
            _retire(tx, b, j, "split", kind)
            after = {"a": links[a], "b": ""}
        append_event(tx, actor=actor, action=f"resolution.judged.{verdict}",
                     subject_type="MatchJudgement", subject_id=j.judgement_id, reason=note,
                     before=before, after={"pair": j.pair_id, **after})

    store.write_tx(write_it)
    return j


def split(store: Store, person_id: str, *, actor: str, reason: str,
          kind: str = "person") -> list[str]:
    """Take ``person_id`` (a firm's key for ``kind`` "company") out of its entity (link
    retired, history kept) and record "not same" judgements against the remaining members, so
    no run merges it back; returns them."""
    names = _kind(kind)
    if not reason.strip():
        raise BadInput("split: a reason is required")
    entity = _entities(store, (person_id,), kind).get(person_id)
    if entity is None:
        raise NotFound(f"no {names['noun']} {person_id!r}")
    if not entity:
        raise BadInput(f"{kind} {person_id} is not linked to a resolved entity")
    j = Judgement(judgement_id="", pair_id="", kind=kind, a=person_id, b="", verdict="not_same",
                  note=reason, actor=actor, at=_now())
    remaining: list[str] = []

    def write_it(tx: ManagedTransaction) -> None:
        nonlocal remaining
        remaining = _retire(tx, person_id, j, "split", kind)
        for other in remaining:
            run_tx(tx, names["judgement"], judgement_id=f"jdg-{uuid.uuid4().hex[:20]}",
                   pair_id=pair_id(person_id, other), a=min(person_id, other),
                   b=max(person_id, other), verdict="not_same", note=reason, actor=actor,
                   at=j.at)
        append_event(tx, actor=actor, action="resolution.split",
                     subject_type="Person" if kind == "person" else "Company",
                     subject_id=person_id, reason=reason, before={"entity": entity},
                     after={"entity": None, "not_same": remaining})

    store.write_tx(write_it)
    return remaining


def _entities(store: Store, people: Sequence[str], kind: str = "person") -> dict[str, str]:
    """Record key → active entity id ('' when unlinked) for the records that exist."""
    names = _kind(kind)
    rows = store.read(names["entities"], **{names["keys"]: list(people)})
    return {r[names["key"]]: r["entity_id"] or "" for r in rows}


def _members(tx: ManagedTransaction, entity: str, kind: str = "person") -> list[str]:
    names = _kind(kind)
    return [r[names["key"]] for r in run_tx(tx, names["members"], entity_id=entity)]


def _link(tx: ManagedTransaction, people: list[str], entity: str, j: Judgement,
          action: str) -> None:
    decision = _decision_id()
    run_tx(tx, "resolution/create_decision", decision_id=decision, action=action, at=j.at,
           actor=j.actor, method="judgement",
           detail=json.dumps({"judgement_id": j.judgement_id, "pair": j.pair_id}))
    evidence = json.dumps([{"comparison": "judgement", "level": "judged the same",
                            "note": j.note}], ensure_ascii=False)
    rows = [{"person_id": p, "record_id": p, "entity_id": entity, "weight": None,
             "probability": 1.0, "method": "judgement", "via": j.b if p == j.a else j.a,
             "evidence": evidence} for p in people]
    run_tx(tx, _kind(j.kind)["link"], rows=rows, decision_id=decision, at=j.at, actor=j.actor)


def _retire(tx: ManagedTransaction, person: str, j: Judgement, action: str,
            kind: str = "person") -> list[str]:
    decision = _decision_id()
    run_tx(tx, "resolution/create_decision", decision_id=decision, action=action, at=j.at,
           actor=j.actor, method="judgement",
           detail=json.dumps({"person_id": person, "reason": j.note}, ensure_ascii=False))
    names = _kind(kind)
    rows = run_tx(tx, names["retire"], **{names["key"]: person}, at=j.at,
                  decision_id=decision)
    return sorted(str(m) for m in rows[0]["remaining"]) if rows else []


def judgements(store: Store, kind: str = "person") -> list[Judgement]:
    """Every judgement of records of ``kind``, oldest first."""
    _kind(kind)
    return [Judgement(**{k: ("" if r[k] is None else str(r[k])) for k in (
        "judgement_id", "pair_id", "a", "b", "verdict", "note", "actor", "at", "kind")})
        for r in store.read("resolution/list_judgements") if r["kind"] == kind]


def constraints(store: Store, kind: str = "person"
                ) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(same pairs, not-same pairs) by each pair's latest judgement ("unsure" counts as none)."""
    latest: dict[str, Judgement] = {}
    for j in judgements(store, kind):
        latest[j.pair_id] = j
    same = [(j.a, j.b) for j in latest.values() if j.verdict == "same"]
    not_same = [(j.a, j.b) for j in latest.values() if j.verdict == "not_same"]
    return same, not_same


def review_queue(store: Store, limit: int = 20, *, kind: str = "person"
                 ) -> list[dict[str, Any]]:
    """The open pairs of records of ``kind``, most uncertain first (at most ``limit``)."""
    return store.read(_kind(kind)["queue"], limit=limit)


def entity_of(store: Store, person_id: str) -> list[dict[str, Any]]:
    """The members of the entity ``person_id`` belongs to now (empty when unlinked)."""
    return store.read("resolution/get_entity_of", person_id=person_id)


def history(store: Store, person_id: str, kind: str = "person") -> list[dict[str, Any]]:
    """Every link the person (or firm) ever had, active or retired."""
    names = _kind(kind)
    return store.read(names["history"], **{names["key"]: person_id})


_ENTITY_OF = {"person": "resolution/get_entity_of",
              "company": "resolution/get_company_entity_of"}
"""Per kind: the statement reading a record's entity and its members."""


def entity_members(store: Store, key: str, kind: str = "person") -> list[dict[str, Any]]:
    """The members (``record_id``, name, method, probability, actor, since) of the entity the
    record ``key`` of ``kind`` belongs to now; empty when unlinked, NotFound when no record."""
    names = _kind(kind)
    if key not in _entities(store, (key,), kind):
        raise NotFound(f"no {names['noun']} {key!r}")
    rows = store.read(_ENTITY_OF[kind], **{names["key"]: key})
    return [{**r, "record_id": r.get("record_id", r.get("person_id"))} for r in rows]


def record_pairs(store: Store, key: str, kind: str = "person") -> list[dict[str, Any]]:
    """The review-queue pairs of ``kind`` (open or judged) the record ``key`` is in."""
    return store.read("resolution/list_record_pairs", kind=check_kind(kind), key=key)

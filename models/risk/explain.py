"""Explain one firm's score: exact additive contributions, reason codes with evidence, the
scorecards, and a counterfactual over the firm's own contestable records.

* **Contributions**: the model is additive (models/risk/additive.py), so each feature's
  contribution is exact and ``base_value + sum(contributions) == log_odds`` (to 1e-9).
* **Reasons**: the features that raise the risk most, in the feature's own words (its
  docstring), each with evidence — the records and graph paths behind it, read with the
  ``cypher/explain/*`` statements — and the Cypher that shows that evidence in Neo4j Browser.
  For a feature that counts credit records the evidence is exactly the records it counted
  (models/risk/counted.py), all of them, one line each (the command line prints the first
  ``EVIDENCE_LIMIT``). The value is also given in words
  (models/risk/plain_values.py).
* **Counterfactual**: the fewest of the firm's own negative records (the ones it could object
  to) whose removal would move it to a lower tier, or a statement that none would. Singles and
  pairs are searched exhaustively; beyond that the records are added greedily by effect.
* A firm with **no credit records** (none of its own, none of its key persons) gets a reason
  saying so: its score is the prior, moved only by size, age and network position.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import json
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import numpy as np

from riskgraph.graph.browser_links import browser_link
from riskgraph.graph.catalog import query
from riskgraph.graph.config import get_settings
from riskgraph.graph.errors import NotFound
from riskgraph.graph.identifiers import firm_id_error, lookup_firm_id
from riskgraph.graph.regions import region_label
from riskgraph.graph.snapshot import Snapshot, day_of
from riskgraph.graph.store import Store, evidence
from riskgraph.graph.store.companies import get_companies, get_company
from riskgraph.graph.store.firm_groups import firm_group, group_in
from riskgraph.graph.store.together import start, together
from riskgraph.models.risk import firm_evidence
from riskgraph.models.risk.artifact import RiskArtifact, load_artifact
from riskgraph.models.risk.counted import Counted, context, counted
from riskgraph.models.risk.features import counts, get
from riskgraph.models.risk.features.context import FeatureContext
from riskgraph.models.risk.features.counts import Through
from riskgraph.models.risk.plain_values import plain_value, reason_text
from riskgraph.models.risk.records import Record
from riskgraph.models.risk.scorecards import Scorecard, tax_grade, zhejiang_score
from riskgraph.models.risk.scoring import Scores, finite, score_snapshot
from riskgraph.models.risk.tiers import TIERS, assign_tiers

MAX_REASONS = 6
MIN_REASON = 0.02
"""Contributions (log-odds) below this are not reasons."""
EVIDENCE_LIMIT = 5
MAX_COUNTERFACTUAL_RECORDS = 40

ROLE_WORDS = {"LEGAL_REPRESENTATIVE_OF": "legal representative", "DIRECTOR_OF": "director",
              "SUPERVISOR_OF": "supervisor", "ACTUAL_CONTROLLER_OF": "actual controller",
              "SUBSIDIARY_OF": "subsidiary", "BRANCH_OF": "branch"}


@dataclass
class Evidence:
    text: str
    record_ids: list[str] = field(default_factory=list)
    path: list[str] = field(default_factory=list)
    cypher: str = ""
    """Paste into Neo4j Browser: sets the parameters, then runs the statement."""
    browser_url: str = ""
    """Opens Neo4j Browser on this evidence (graph/browser_links.py)."""


@dataclass
class Reason:
    feature: str
    contribution: float
    value: float
    text: str
    detail: str
    evidence: list[Evidence] = field(default_factory=list)
    plain: str = ""
    """The value in words ("last penalty 9 months ago"), models/risk/plain_values.py."""


@dataclass
class Counterfactual:
    possible: bool
    statement: str
    record_ids: list[str] = field(default_factory=list)
    new_risk: float | None = None
    new_tier: str | None = None


@dataclass
class Explanation:
    uscc: str
    name: str
    as_of: str
    model_version: str
    data_snapshot_sha256: str
    risk: float
    serious_risk: float | None
    """None when the model has no serious-violation component (see the model card)."""
    log_odds: float
    base_value: float
    tier: str
    contributions: list[dict[str, Any]]
    reasons: list[Reason]
    counterfactual: Counterfactual
    scorecards: dict[str, Any]
    no_records: bool
    region: str = ""
    """The firm's region code with its province name (graph/regions.py)."""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=1, ensure_ascii=False)


# ---------------------------------------------------------------------------------------------


def browser_cypher(name: str, **params: Any) -> str:
    """A Neo4j Browser snippet: ``:params {...}`` then the catalog statement."""
    return f":params {json.dumps(params, ensure_ascii=False)}\n{query(name)}"


def _snippet(name: str, **params: Any) -> tuple[str, str]:
    """The Browser snippet of catalog statement ``name`` and a link that opens it."""
    return browser_cypher(name, **params), browser_link(name, params)


def _date(text: Any) -> dt.date | None:
    return dt.date.fromisoformat(str(text)) if text not in (None, "") else None


def _record(row: dict[str, Any], subject: str) -> Record:
    return Record(record_id=str(row["record_id"]), kind=str(row.get("kind") or ""),
                  issued_on=dt.date.fromisoformat(str(row["issued_on"])),
                  removed_on=_date(row.get("removed_on")), severity=row.get("severity"),
                  amount=row.get("amount"), outcome=row.get("outcome"),
                  stream=row.get("stream"), agency=str(row.get("agency") or ""),
                  subject=subject)


def _card(card: Scorecard) -> dict[str, Any]:
    return {"score": card.score, "grade": card.grade,
            "items": [asdict(i) for i in card.items]}


def explain(store: Store, uscc: str, as_of: dt.date | None = None,
            version: str | None = None, home: Path | None = None,
            *, snapshot: Snapshot | None = None,
            artifact: RiskArtifact | None = None, scores: Scores | None = None,
            with_counterfactual: bool = True,
            company: dict[str, Any] | None = None) -> Explanation:
    """Explain firm ``uscc``'s score as of ``as_of`` (default: the day after the data ends).

    Raises NotFound for an unknown firm (or a malformed USCC). ``snapshot`` / ``artifact`` /
    ``scores`` may be passed to explain many firms without re-reading the graph. The
    counterfactual is the costly part (dozens of re-scorings); ``with_counterfactual=False``
    skips it (the API does when the query does not ask for it). ``company``: the firm's row
    (``explain/get_company``, or ``cache/get_company_and_version``'s with ``entity`` and
    ``members``) when the caller read it already; read here when None.
    """
    uscc = lookup_firm_id(uscc)
    company = company or get_company(store, uscc)
    if company is None:
        problem = firm_id_error(uscc)
        hint = "" if problem is None else f" (and it is not a firm identifier: {problem})"
        what = "USCC" if ":" not in uscc else "identifier"
        raise NotFound(f"no company with {what} {uscc!r} in the graph{hint}")
    # The firm's keys (a copy's facts are the firm's): from the row when it brought its entity's
    # members (cache/get_company_and_version), else one read.
    group = (group_in(uscc, company["entity"], company["members"]) if "members" in company
             else firm_group(store, uscc))
    if group.canonical != uscc:
        raise NotFound(f"{uscc} is another source's record of firm {group.canonical}, which "
                       "counts its facts: explain that firm")
    firms = list(group.keys)
    art = artifact or load_artifact(home or get_settings().riskgraph_home, version)
    snap = snapshot or store.snapshot()
    sc = scores or score_snapshot(snap, art, as_of)
    i = sc.index(uscc)
    if i is None:
        raise NotFound(f"company {uscc} is not in the data snapshot")
    when = sc.as_of
    iso = when.isoformat()
    contrib = sc.contributions[i]
    x_row = sc.features.values[i]
    names = sc.model_features
    values = {n: float(x_row[sc.features.names.index(n)]) for n in names}

    # The firm's own and its key persons' records depend on nothing computed below: their
    # reads start now and run while the reasons are chosen (graph/store/together.py).
    own_and_people = start(lambda: evidence.company_records(store, firms, iso),
                           lambda: evidence.key_personnel_records(store, firms, iso))
    ctx = context(snap, day_of(when))
    order = np.argsort(-contrib)
    chosen = []
    for j in order[:MAX_REASONS]:
        if contrib[j] < MIN_REASON:
            break
        name = names[j]
        feat = get(name) if not name.startswith("user_") else None
        chosen.append((j, name, feat, counted(ctx, name, i) if feat else None))
    founds = [found for *_, found in chosen if found is not None]
    graph_reasons = [(k, name, feat) for k, (_, name, feat, found) in enumerate(chosen)
                     if found is None]
    # The reads of the counted records and of the graph evidence depend on no other's rows:
    # sent at once, the explanation waits for the slowest, not for their sum. Each read is
    # the statement it was when they ran one after the other.
    by_id, *graph_lines = together(
        lambda: _records_of(store, snap, founds),
        *[functools.partial(_evidence, store, name, feat.group if feat else "user", uscc,
                            firms, when, ctx, i) for _, name, feat in graph_reasons])
    own_rows, people_rows = own_and_people.results()
    own_records = [_record(r, uscc) for r in own_rows]
    personnel = [_record(r, str(r["person_id"])) for r in people_rows]
    cards = {"zhejiang": _card(zhejiang_score(own_records, when, personnel)),
             "tax": _card(tax_grade(own_records, when))}
    no_records = not own_records and not personnel
    named = _counted_firms(store, snap, founds, by_id)
    of_graph = {k: lines for (k, _, _), lines in zip(graph_reasons, graph_lines, strict=True)}
    reasons: list[Reason] = []
    for k, (j, name, feat, found) in enumerate(chosen):
        text = reason_text(name, values[name]) if feat else f"User-supplied feature {name}"
        detail = feat.doc.split("\n", 1)[1].strip() if feat and "\n" in feat.doc else ""
        lines = (_counted_evidence(by_id, snap, name, found, uscc, named)
                 if found is not None else of_graph[k])
        reasons.append(Reason(name, float(contrib[j]), values[name], text, detail, lines,
                              plain_value(name, values[name])))
    if no_records:
        prior = 1.0 / (1.0 + np.exp(-sc.base_value))
        reasons.insert(0, Reason(
            "no_records", 0.0, 0.0,
            f"No credit records as of {iso}: neither the firm nor its key persons have any.",
            f"Its score is the prior (average risk {prior:.1%}), moved only by its size, age "
            "and network position; no record of its own raises it. A reason below that names "
            "records is about the firms and persons linked to it, or says that having none "
            "scored above average.", []))

    counterfactual = (_counterfactual(snap, art, sc, i) if with_counterfactual
                      else Counterfactual(False, "not computed (not requested)"))
    return Explanation(
        uscc=uscc, name=str(company.get("name") or ""), as_of=iso,
        model_version=sc.version, region=region_label(company.get("region_code")),
        data_snapshot_sha256=sc.data_snapshot_sha256,
        risk=float(sc.risk[i]), serious_risk=finite(sc.serious_risk[i]),
        log_odds=float(sc.log_odds[i]), base_value=float(sc.base_value),
        tier=str(sc.tier[i]),
        contributions=[{"feature": n, "value": float(contrib[k]),
                        "feature_value": values[n]} for k, n in enumerate(names)],
        reasons=reasons, counterfactual=counterfactual, scorecards=cards,
        no_records=no_records,
    )


def feature_evidence(store: Store, snap: Snapshot, name: str, uscc: str,
                     when: dt.date) -> list[Evidence]:
    """The evidence :func:`explain` gives for feature ``name`` of firm ``uscc`` at ``when``
    (whatever its contribution): the same reads and words as a reason's."""
    firms = list(firm_group(store, uscc).keys)
    ctx = context(snap, day_of(when))
    i = snap.firm_index(uscc)
    if i is None:
        raise NotFound(f"company {uscc} is not in the data snapshot")
    found = counted(ctx, name, i)
    if found is not None:
        by_id = _records_of(store, snap, [found])
        named = _counted_firms(store, snap, [found], by_id)
        return _counted_evidence(by_id, snap, name, found, uscc, named)
    return _evidence(store, name, get(name).group, uscc, firms, when, ctx, i)


# ---------------------------------------------------------------------------------------------
# Evidence per feature group
# ---------------------------------------------------------------------------------------------


def _describe(row: dict[str, Any]) -> str:
    kind = str(row.get("kind") or "record").replace("_", " ")
    bits = [f"{kind} issued {row.get('issued_on')}"]
    if row.get("agency"):
        bits.append(f"by {row['agency']}")
    if row.get("severity"):
        bits.append(f"({row['severity']})")
    if row.get("outcome"):
        bits.append(f"outcome {row['outcome']}")
    if row.get("amount"):
        bits.append(f"RMB {float(row['amount']):,.0f}")
    if row.get("removed_on"):
        bits.append(f"removed {row['removed_on']}")
    return " ".join(bits)


THROUGH_WORDS: dict[Through, str] = {
    counts.linked: "firm sharing its people", counts.parents: "its parent / head office",
    counts.subsidiaries: "its subsidiary", counts.branches: "its branch",
    counts.suppliers: "supplier (up to 3 tiers)", counts.cobidders: "co-bidder",
    counts.community: "firm of its community",
    counts.LEGAL_REP_FIRMS: "other firm of the same person",
    counts.CONTROLLER_FIRMS: "other firm of the same person",
}


def _through_word(name: str) -> str:
    declared = get(name).counts
    if isinstance(declared, counts.Network):
        return THROUGH_WORDS.get(declared.through, "linked firm")
    return "linked firm"


def _records_of(store: Store, snap: Snapshot,
                founds: list[Counted]) -> dict[str, dict[str, Any]]:
    """The rows of every record the reasons counted, read in one round trip."""
    ids = sorted({str(snap.rec_id[r]) for found in founds for r in found.records})
    return {str(r["record_id"]): r for r in evidence.records_by_id(store, ids)} if ids else {}


def _owners(snap: Snapshot, founds: list[Counted]) -> dict[str, str]:
    """Record id → the firm it counts for in the (folded) snapshot, for the firm records
    counted: a record published under a copy's key counts for its registry firm."""
    return {str(snap.rec_id[r]): str(snap.uscc[snap.rec_subject[r]])
            for found in founds for r in found.records if not snap.rec_on_person[r]}


def _counted_firms(store: Store, snap: Snapshot, founds: list[Counted],
                   by_id: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The rows of the firms that counted records were published under another key of (a
    copy's), read in one round trip when there are any (none without firm links)."""
    under = {firm for rid, firm in _owners(snap, founds).items()
             if rid in by_id and str(by_id[rid].get("uscc")) != firm}
    return get_companies(store, sorted(under)) if under else {}


def _counted_evidence(by_id: dict[str, dict[str, Any]], snap: Snapshot, name: str,
                      found: Counted, uscc: str,
                      named: dict[str, dict[str, Any]] | None = None) -> list[Evidence]:
    """One evidence line per record ``found`` counted, newest first (the command line shows the
    first ``EVIDENCE_LIMIT``; roles see the lines whose records they may see); ``by_id``: the
    records' rows (:func:`_records_of`). A record published under a copy's key is named with
    the firm it counts for (``named``: those firms' rows) and the key it is under."""
    if not found.records:
        return []
    owner = _owners(snap, [found])
    ids = [str(snap.rec_id[r]) for r in found.records]
    rows = sorted((by_id[n] for n in ids if n in by_id),
                  key=lambda r: (str(r["issued_on"]), str(r["record_id"])), reverse=True)
    network = bool(found.firms)
    word = _through_word(name) if network else ""
    out = []
    for r in rows:
        firm = owner.get(str(r["record_id"]), str(r.get("uscc")))
        under = "" if r.get("person_id") or firm == str(r.get("uscc")) else (
            f", published under its other key {r['subject_name']} ({r['uscc']})")
        if r.get("person_id"):
            text = f"key person {r['subject_name']} ({r['person_id']}): {_describe(r)}"
            path = [str(r["person_id"]), uscc]
        elif network:
            firm_name = (named or {}).get(firm, {}).get("name") if under else r["subject_name"]
            text = f"{word} {firm_name or ''} ({firm}) has {_describe(r)}{under}"
            path = [uscc, firm] + ([str(r["uscc"])] if under else [])
        else:
            text = _describe(r) + under
            path = [uscc] + ([str(r["uscc"])] if under else [])
        # Each line's Browser snippet names only its own records: a role that may see this
        # line may see them (app/graphql filters evidence line by line).
        cy, url = _snippet("explain/show_records", record_ids=[str(r["record_id"])])
        out.append(Evidence(text, [str(r["record_id"])], path, cy, url))
    return out


def _evidence(store: Store, name: str, group: str, uscc: str, firms: list[str], when: dt.date,
              ctx: FeatureContext, i: int) -> list[Evidence]:
    """Graph evidence of a feature that counts no credit record: the firms, tenders, addresses
    or paths behind it, citing no record (the phoenix signal cites the old firm's
    blacklisting, which is what makes that firm count). Firms are read through the firm links
    as the folded snapshot counts them: ``firms`` are the explained firm's keys, and every
    other firm is named by the firm its key counts as (models/risk/firm_evidence.py)."""
    lim = EVIDENCE_LIMIT
    iso = when.isoformat()
    if name == "linked_firms":
        found = counts.linked(ctx, i)
        shown = [str(ctx.snap.uscc[f]) for f in found[:lim]]
        names = get_companies(store, shown)  # one read for every firm shown
        out = []
        for other in shown:
            cy, url = _snippet("explain/get_company", uscc=other)
            label = str(names[other]["name"]) if other in names else ""
            out.append(Evidence(f"shares its legal representative, a director or its controller "
                                f"with {label} ({other})", [], [uscc, other], cy, url))
        if len(found) > lim:
            out.append(Evidence(f"… and {len(found) - lim} more firm(s)", [], [uscc]))
        return out
    params: dict[str, Any] = {"firms": firms, "as_of": iso}
    if group == "bidding":
        cy, url = _snippet("explain/list_cobidder_records", **params)
        return [Evidence(f"bid in {len(f.via)} tender(s) with {f.name} ({f.uscc})"
                         f"{_under(f.other_keys)}", [],
                         [uscc, *sorted(f.via)[:5], f.uscc], cy, url)
                for f in firm_evidence.cobidders(evidence.cobidder_records(store, **params))[:lim]]
    if name in ("address_cluster_size", "shared_contact_size"):
        link = "REGISTERED_AT" if name == "address_cluster_size" else "HAS_CONTACT"
        cy, url = _snippet("explain/list_address_sharers", **params)
        word = "address" if link == "REGISTERED_AT" else "contact"
        lines = [Evidence(f"shares {word} {shared} with {f.name} ({f.uscc})"
                          f"{_under(f.other_keys)}", [], [uscc, f.uscc], cy, url)
                 for shared, found_at in firm_evidence.sharers(
                     evidence.address_sharers(store, **params), link, when)
                 for f in found_at]
        return lines[:lim]
    if name == "phoenix_signal":
        cy, url = _snippet("explain/list_phoenix_paths", **params)
        paths = firm_evidence.phoenix_paths(evidence.phoenix_paths(store, **params), when)
        return [Evidence(f"{ROLE_WORDS.get(p.role_here, '')} {p.person_name} "
                         f"({p.person_id}) was {ROLE_WORDS.get(p.role_there, '')} of "
                         f"{p.firm.name} ({p.firm.uscc}){_under(p.firm.other_keys)}, blacklisted "
                         f"{p.ban['issued_on']} and dissolved {p.dissolved_on}",
                         [str(p.ban["record_id"])], [uscc, p.person_id, p.firm.uscc], cy, url)
                for p in paths[:lim]]
    return []


def _under(keys: list[str]) -> str:
    """Words naming the other keys (its copies) a firm was found under; empty when none."""
    return f", under its other key(s) {', '.join(keys)}" if keys else ""


# ---------------------------------------------------------------------------------------------
# Counterfactual over the firm's own contestable records
# ---------------------------------------------------------------------------------------------


def _single_firm(snap: Snapshot, i: int, drop: set[int]) -> Snapshot:
    """A snapshot of firm ``i`` alone with its own records minus ``drop`` (record indices)."""
    keep = np.nonzero((snap.rec_subject == i) & ~snap.rec_on_person)[0]
    keep = np.array([r for r in keep if int(r) not in drop], dtype=np.int64)
    values: dict[str, Any] = {}
    for f in fields(snap):
        arr = getattr(snap, f.name)
        if f.name.startswith("rec_"):
            values[f.name] = arr[keep]
        elif f.name in ("uscc", "company_node", "region", "industry", "ownership", "founded",
                        "dissolved", "employees", "listed"):
            values[f.name] = arr[i: i + 1]
        else:
            values[f.name] = arr[:0]
    values["rec_subject"] = np.zeros(len(keep), dtype=np.int64)
    return replace(snap, **values)


def _counterfactual(snap: Snapshot, art: RiskArtifact, sc: Scores, i: int) -> Counterfactual:
    tier = str(sc.tier[i])
    if tier == TIERS[0]:
        return Counterfactual(False, "The firm is already in the lowest tier.")
    t = day_of(sc.as_of)
    candidates = np.nonzero((snap.rec_subject == i) & ~snap.rec_on_person & snap.rec_negative
                            & (snap.rec_issued <= t))[0]
    if len(candidates) == 0:
        return Counterfactual(False, f"The firm has no negative records of its own to contest; "
                                     f"no objection would move it out of the {tier} tier.")
    candidates = candidates[np.argsort(-snap.rec_issued[candidates])][:MAX_COUNTERFACTUAL_RECORDS]
    own = [n for n in art.features if not n.startswith("user_") and get(n).scope == "own"]
    cols = [art.features.index(n) for n in own]
    base_x = sc.features.values[i, [sc.features.names.index(n) for n in art.features]].copy()
    model = art.models["violation"]
    rank = TIERS.index(tier)

    def risk_without(drop: tuple[int, ...]) -> float:
        ctx = FeatureContext(_single_firm(snap, i, set(drop)), t)
        x = base_x.copy()
        for c, n in zip(cols, own, strict=True):
            x[c] = float(get(n)(ctx)[0])
        return float(model.proba(x.reshape(1, -1))[0])

    def tier_of(p: float) -> str:
        return str(assign_tiers(np.array([p]), sc.cutoffs)[0])

    def found(drop: tuple[int, ...], p: float) -> Counterfactual:
        ids = [str(snap.rec_id[r]) for r in drop]
        return Counterfactual(
            True, f"Removing {len(drop)} record(s) after a successful objection "
                  f"({', '.join(ids)}) would move the firm from the {tier} to the "
                  f"{tier_of(p)} tier (risk {p:.1%}).", ids, p, tier_of(p))

    singles = [(risk_without((int(r),)), int(r)) for r in candidates]
    for p, r in sorted(singles):
        if TIERS.index(tier_of(p)) < rank:
            return found((r,), p)
    if len(candidates) <= 12:
        best: tuple[float, tuple[int, ...]] | None = None
        for pair in itertools.combinations([int(r) for r in candidates], 2):
            p = risk_without(pair)
            if TIERS.index(tier_of(p)) < rank and (best is None or p < best[0]):
                best = (p, pair)
        if best:
            return found(best[1], best[0])
    chosen: list[int] = []
    for _, r in sorted(singles):
        chosen.append(r)
        p = risk_without(tuple(chosen))
        if TIERS.index(tier_of(p)) < rank:
            return found(tuple(chosen), p)
    return Counterfactual(False, f"Even removing all {len(candidates)} of its own negative "
                                 f"records would leave the firm in the {tier} tier: the risk "
                                 "comes from its network (people, group, suppliers) or "
                                 "attributes, which objections to its own records cannot change.")


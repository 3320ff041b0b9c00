"""The ground truth of a synthetic world: planted schemes and latent propensities.

Written beside the world (``ground_truth.json``, ``ground_truth_firms.parquet``), never under
``nodes/`` or ``rels/``, so the loader never sees it; only evaluation code may read it.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from riskgraph.graph.schema import GROUND_TRUTH_FILE
from riskgraph.seed.arrays import IntArray
from riskgraph.seed.firms import Firms
from riskgraph.seed.inspections import Inspectors
from riskgraph.seed.output import Keys
from riskgraph.seed.people import People
from riskgraph.seed.places import Places
from riskgraph.seed.procurement import Procurement
from riskgraph.seed.records import KIND_CODE
from riskgraph.seed.risk import (
    BAD_SHARE,
    PERSON_SD,
    W_BOARD,
    W_CTRL,
    W_HEAD,
    W_LR,
    W_PARENT,
    W_SUPPLIER,
    Latent,
)
from riskgraph.seed.schemes import Plan, category_name
from riskgraph.seed.tables import Writer
from riskgraph.seed.timeline import political_firms
from riskgraph.seed.vocab import EPOCH, REGION_PROVINCE

FIRMS_FILE = "ground_truth_firms.parquet"
LABELS_FILE = "ground_truth_labels.csv"


def iso(days: int) -> str | None:
    return None if days < 0 else (EPOCH + dt.timedelta(days=int(days))).isoformat()


def _strs(arr: pa.Array, idx: IntArray) -> list[str]:
    return [str(v) for v in arr.take(pa.array(np.asarray(idx, dtype=np.int64))).to_pylist()]


def _s(arr: pa.Array, i: int | np.integer[Any]) -> str:
    return str(arr[int(i)].as_py())


def write_truth(out: Path, w: Writer, params: dict[str, Any], firms: Firms, people: People,
                places: Places, latent: Latent, plan: Plan, proc: Procurement,
                inspectors: Inspectors, conflicts: tuple[IntArray, IntArray],
                rec: dict[str, np.ndarray], keys: Keys, tender_ids: pa.Array) -> dict[str, int]:
    """Write both ground-truth files; return the number of planted instances per scheme."""
    uscc, person = keys.uscc, keys.person
    schemes: dict[str, list[dict[str, Any]]] = {
        "bid_rigging_cartels": _cartels(plan, proc, uscc, tender_ids),
        "phoenix_firms": _phoenix(firms, people, plan, uscc, person),
        "shell_clusters": _shells(people, places, plan, uscc, person),
        "contaminated_supply_chains": _chains(plan, uscc),
        "blacklisted_key_personnel": _key_personnel(people, plan, rec, uscc, person),
        "well_connected_firms": _connected(people, uscc, person),
        "inspector_conflicts": [
            {"inspector_id": _s(keys.inspector, i),
             "person_id": _s(person, people.inspector_person[i]),
             "uscc": _s(uscc, inspectors.firm[i]), "inspected_on": iso(int(d))}
            for i, d in zip(*conflicts, strict=True)],
    }
    doc = {
        "params": params,
        "latent_model": {
            "firm_logit": "3.5*tanh(x/3.5), x = own + people + group + supplier centred on the "
                          "median firm",
            "own": "industry effect - 0.25*log10(employees+1) + 0.3 if under 3 years old in "
                   "2020 + ownership (SOE -0.3, foreign -0.2, JV -0.1) + shell 1.5 + "
                   "phoenix successor 0.3 + N(0, 0.5)",
            "people": f"{W_LR}*z(legal rep) + {W_CTRL}*z(controller) + {W_BOARD}*mean z(board)",
            "person_z": f"N(0, {PERSON_SD}) + U(1, 2) for {BAD_SHARE:.0%} bad actors + 1.5 for "
                        "planted nominees / phoenix people + 0.1 if politically connected",
            "group": f"{W_PARENT}*logit(parent), {W_HEAD}*logit(head office) for branches",
            "supplier": f"{W_SUPPLIER}*(mean logit of current suppliers - median)",
            "inspection_violation_probability": "sigmoid(logit - 1.6)",
        },
        "schemes": schemes,
    }
    write_labels(out, schemes["bid_rigging_cartels"])
    (out / GROUND_TRUTH_FILE).write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n",
                                         encoding="utf-8")
    scheme = np.full(firms.n, -1, dtype=np.int64)
    labels = ["cartel", "phoenix_predecessor", "phoenix_successor", "shell",
              "chain_blacklisted_supplier", "chain_exposed_firm"]
    for i, idx in enumerate([np.concatenate(plan.cartel_members or [np.zeros(0, np.int64)]),
                             plan.phoenix_pred, plan.phoenix_succ, plan.shell_firms,
                             plan.chains[0] if plan.chains else np.zeros(0, np.int64),
                             plan.chains[2] if plan.chains else np.zeros(0, np.int64)]):
        scheme[idx] = i
    table = pa.table({
        "uscc": uscc,
        "logit": pa.array(latent.logit),
        "own": pa.array(latent.own),
        "people": pa.array(latent.people),
        "group": pa.array(latent.group),
        "supplier": pa.array(latent.supplier),
        "annual_violation_probability": pa.array(1.0 / (1.0 + np.exp(-(latent.logit - 1.6)))),
        "politically_connected": pa.array(political_firms(people)),
        "scheme": pa.array([labels[s] if s >= 0 else None for s in scheme.tolist()],
                           pa.string()),
    })
    w.side_file(FIRMS_FILE, table)
    return {name: len(items) for name, items in schemes.items()}


def _cartels(plan: Plan, proc: Procurement, uscc: pa.Array, tender_ids: pa.Array
             ) -> list[dict[str, Any]]:
    out = []
    c = proc.cartels
    for i, members in enumerate(plan.cartel_members):
        out.append({
            "cartel_id": f"cartel-{i + 1:04d}", "members": _strs(uscc, members),
            "behaviour": "rotation",
            "category": category_name(plan.cartel_category[i]),
            "province_code": f"{plan.cartel_province[i]}0000", "link": plan.cartel_link[i],
            "tenders": _strs(tender_ids, c.tenders[i]), "winners": _strs(uscc, c.winners[i]),
            "detected": c.detected[i]})
    p = proc.price
    for j, members in enumerate(p.members if p is not None else []):
        assert p is not None
        out.append({
            "cartel_id": f"price-cartel-{j + 1:04d}", "members": _strs(uscc, members),
            "behaviour": p.behaviour[j], "category": category_name(p.category[j]),
            "province_code": f"{p.province[j]}0000", "link": "none",
            "tenders": _strs(tender_ids, p.tenders[j]), "winners": _strs(uscc, p.winners[j]),
            "detected": False})
    return out


def write_labels(out: Path, cartels: list[dict[str, Any]]) -> None:
    """The planted cartels as the labels CSV that ``riskgraph screen cartels --labels`` and
    ``--evaluate`` read (models/screens/cartel_labels.py): every rigged tender and every
    member, label 1, case = the cartel id."""
    rows = sorted({("tender", t, c["cartel_id"]) for c in cartels for t in c["tenders"]}
                  | {("firm", m, c["cartel_id"]) for c in cartels for m in c["members"]})
    with (out / LABELS_FILE).open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["level", "id", "label", "case"])
        writer.writerows([level, key, 1, case] for level, key, case in rows)


def _phoenix(firms: Firms, people: People, plan: Plan, uscc: pa.Array, person: pa.Array
             ) -> list[dict[str, Any]]:
    sel = np.isin(people.role_firm, np.r_[plan.phoenix_pred, plan.phoenix_succ])
    persons_of: dict[int, set[int]] = {}
    for p, f in zip(people.role_person[sel].tolist(), people.role_firm[sel].tolist(),
                    strict=True):
        persons_of.setdefault(f, set()).add(p)
    out = []
    for p, s, listed in zip(plan.phoenix_pred.tolist(), plan.phoenix_succ.tolist(),
                            plan.phoenix_listed_on.tolist(), strict=True):
        shared = persons_of.get(p, set()) & persons_of.get(s, set())
        out.append({
            "predecessor": _s(uscc, p), "successor": _s(uscc, s),
            "blacklisted_on": iso(listed), "dissolved_on": iso(int(firms.dissolved[p])),
            "successor_founded_on": iso(int(firms.founded[s])),
            "cross_province": bool(REGION_PROVINCE[firms.region[p]]
                                   != REGION_PROVINCE[firms.region[s]]),
            "shared_persons": sorted(_s(person, i) for i in shared)})
    return out


def _shells(people: People, places: Places, plan: Plan, uscc: pa.Array, person: pa.Array
            ) -> list[dict[str, Any]]:
    out = []
    for c in range(len(places.shell_address)):
        members = plan.shell_firms[plan.shell_cluster == c]
        ctrl = int(people.ctrl[members[0]])
        out.append({"cluster_id": f"shell-{c + 1:04d}",
                    "address_id": _s(places.address_id, places.shell_address[c]),
                    "nominee": _s(person, people.nominees[c]),
                    "controller": _s(person, ctrl) if ctrl >= 0 else None,
                    "members": _strs(uscc, members)})
    return out


def _chains(plan: Plan, uscc: pa.Array) -> list[dict[str, Any]]:
    if plan.chains is None:
        return []
    b, m, f = plan.chains
    return [{"firm": _s(uscc, fi), "tier1_supplier": _s(uscc, mi),
             "tier2_supplier": _s(uscc, bi), "blacklisted_on": iso(int(d))}
            for bi, mi, fi, d in zip(b, m, f, plan.chain_listed_on, strict=True)]


def _key_personnel(people: People, plan: Plan, rec: dict[str, np.ndarray], uscc: pa.Array,
                   person: pa.Array) -> list[dict[str, Any]]:
    listed = rec["is_person"] & (rec["kind"] == KIND_CODE["dishonest_person_list"])
    subj, days = rec["subject"][listed], rec["day"][listed]
    order = np.lexsort((days, subj))
    first = np.r_[True, subj[order][1:] != subj[order][:-1]] if len(order) else np.zeros(0, bool)
    persons_, first_day = subj[order][first], days[order][first]
    planted = set(plan.person_events.subject[0].tolist()) if plan.person_events.subject else set()
    sel = np.isin(people.role_person, persons_)
    firms_of: dict[int, list[str]] = {}
    for p, f in zip(people.role_person[sel].tolist(), people.role_firm[sel].tolist(),
                    strict=True):
        firms_of.setdefault(p, []).append(_s(uscc, f))
    return [{"person_id": _s(person, p), "first_listed_on": iso(d), "planted": p in planted,
             "firms": sorted(set(firms_of.get(p, [])))}
            for p, d in zip(persons_.tolist(), first_day.tolist(), strict=True)]


def _connected(people: People, uscc: pa.Array, person: pa.Array) -> list[dict[str, Any]]:
    firms = np.nonzero(political_firms(people))[0]
    out = []
    for f in firms.tolist():
        who = {int(people.lr[f])}
        if people.ctrl[f] >= 0:
            who.add(int(people.ctrl[f]))
        out.append({"uscc": _s(uscc, f),
                    "persons": sorted(_s(person, p) for p in who if people.political[p])})
    return out

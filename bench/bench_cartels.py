"""Cartel screens without Neo4j: the unsupervised screen, the price screens alone and the
supervised model, tender and firm level, side by side, per world and labels file.

    .venv/bin/python bench/bench_cartels.py --firms 20000 --seeds 7 11 [--price-cartels]
        [--out DIR] [--labels FILE] [--bid-only] [--groups]

Generates each world (or reuses ``DIR/w<firms>-<seed>[-price]``), reads its bids from the
Parquet tables and scores them (models/screens/cartels.py ``score_all``). Graph links are taken
from the world's tables: two competing firms sharing a person (legal representative, director,
supervisor, controller, shareholder) or linked by ownership (equity, subsidiary, branch; a
common parent) — the 1–2 hop links of the Neo4j screen, without family ties. ``--bid-only``
drops them (and blacklists), as for an agency's bid-only data. Labels: ``--labels FILE``, else
the world's ``ground_truth_labels.csv``. ``--groups`` also prints the group-level precision /
recall against the planted cartels (``riskgraph screen cartels --evaluate`` without a file).
Precision / recall / F1: unsupervised at the threshold (0.7), models at probability 0.5 out of
fold; AUC: ROC AUC; "firm-CV" / "time-CV": the cross-validation grouping
(models/screens/cartel_learning.py).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from riskgraph.models.screens.cartel_data import Link
from riskgraph.models.screens.cartel_evaluation import evaluate_report, planted_cartels
from riskgraph.models.screens.cartel_labels import read_labels
from riskgraph.models.screens.cartel_learning import evaluate
from riskgraph.models.screens.cartels import CartelConfig, CartelReport, score_all
from riskgraph.models.screens.cobidding import (
    Tender,
    TenderBid,
    cobid_counts,
    tenders_from,
    with_info,
)
from riskgraph.seed.world import generate_world

PERSON_ROLES = ("LEGAL_REPRESENTATIVE_OF", "DIRECTOR_OF", "SUPERVISOR_OF",
                "ACTUAL_CONTROLLER_OF")


def _table(world: Path, name: str) -> list[dict[str, Any]]:
    path = world / name
    return pq.read_table(path).to_pylist() if path.is_file() else []


def world_tenders(world: Path) -> dict[str, Tender]:
    bids = _table(world, "nodes/Bid.parquet")
    info: dict[str, dict[str, Any]] = {}
    published: dict[str, str] = {}
    for r in _table(world, "nodes/Tender.parquet"):
        published[r["tender_id"]] = str(r["published_on"])
        info[r["tender_id"]] = {"category": r.get("category"),
                                "estimate": r.get("estimated_value"),
                                "reserve": r.get("reserve_price"), "floor": r.get("floor_price"),
                                "currency": r.get("currency")}
    parties: dict[str, list[tuple[bool, str]]] = defaultdict(list)
    for s in _table(world, "rels/SUBMITTED.parquet"):
        parties[s["dst"]].append((s["role"] not in ("sole", "lead"), s["src"]))
    per_tender: dict[str, int] = defaultdict(int)
    for b in bids:
        per_tender[b["tender_id"]] += 1
    bids.sort(key=lambda b: (b["tender_id"], b["bid_id"]))
    return with_info(tenders_from(
        TenderBid(b["tender_id"], published[b["tender_id"]], b["bid_id"], b["amount"],
                  b["status"], tuple(f for _, f in sorted(parties[b["bid_id"]])))
        for b in bids if per_tender[b["tender_id"]] >= 2), info)


def world_links(world: Path, pairs: list[tuple[str, str]]) -> dict[tuple[str, str], Link]:
    """Competing pairs linked within two hops through people or ownership (no family ties)."""
    persons: dict[str, set[str]] = defaultdict(set)
    owners: dict[str, set[str]] = defaultdict(set)
    for rel in PERSON_ROLES:
        for r in _table(world, f"rels/{rel}.parquet"):
            persons[r["dst"]].add(r["src"])
    for r in _table(world, "rels/HOLDS_EQUITY.parquet"):
        (persons if r.get("src_label") == "Person" else owners)[r["dst"]].add(r["src"])
    for rel in ("SUBSIDIARY_OF", "BRANCH_OF"):
        for r in _table(world, f"rels/{rel}.parquet"):
            owners[r["src"]].add(r["dst"])
    out = {}
    for a, b in pairs:
        if b in owners[a] or a in owners[b]:
            out[(a, b)] = Link(a, b, 1, [a, b], ["OWNERSHIP"])
            continue
        shared = sorted(persons[a] & persons[b]) or sorted(owners[a] & owners[b])
        if shared:
            out[(a, b)] = Link(a, b, 2, [a, shared[0], b], ["SHARED", "SHARED"])
    return out


def banned_firms(world: Path) -> set[str]:
    kinds = {r["record_id"] for r in _table(world, "nodes/CreditRecord.parquet")
             if r.get("kind") in ("procurement_ban", "serious_dishonest_enterprise_list")}
    return {r["src"] for r in _table(world, "rels/HAS_RECORD.parquet") if r["dst"] in kinds}


def report_for(world: Path, cfg: CartelConfig, bid_only: bool
               ) -> tuple[dict[str, Tender], CartelReport]:
    tenders = world_tenders(world)
    competing = cobid_counts(tenders)
    links = {} if bid_only else world_links(world, sorted(competing))
    banned = set() if bid_only else banned_firms(world)
    return tenders, score_all(tenders, cfg, competing=competing, links=links, banned=banned)


def _cell(m: dict[str, Any] | None) -> str:
    if not m:
        return "–"
    auc = "–" if m["roc_auc"] is None else f"{m['roc_auc']:.3f}"
    return f"P {m['precision']:.2f} R {m['recall']:.2f} F1 {m['f1']:.2f} AUC {auc}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--firms", type=int, default=20000)
    ap.add_argument("--seeds", type=int, nargs="+", default=[7, 11])
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--labels", type=Path, default=None)
    ap.add_argument("--price-cartels", action="store_true")
    ap.add_argument("--bid-only", action="store_true")
    ap.add_argument("--groups", action="store_true")
    args = ap.parse_args()
    cfg = CartelConfig()
    root = args.out or Path(tempfile.mkdtemp(prefix="cartel-bench-"))
    rows = [("unsupervised", "unsupervised"),
            ("price screens, firm-CV", "price_screens_grouped_by_firm"),
            ("price screens, time-CV", "price_screens_grouped_by_time"),
            ("model, firm-CV", "model_grouped_by_firm"),
            ("model, time-CV", "model_grouped_by_time")]
    for seed in args.seeds:
        world = root / f"w{args.firms}-{seed}{'-price' if args.price_cartels else ''}"
        if not (world / "ground_truth.json").is_file():
            generate_world(args.firms, seed, world, progress=False,
                           price_cartels=args.price_cartels)
        began = time.perf_counter()
        tenders, report = report_for(world, cfg, args.bid_only)
        screened = time.perf_counter() - began
        labels = read_labels(args.labels or world / "ground_truth_labels.csv")
        began = time.perf_counter()
        result = evaluate(report, tenders, labels)
        learned = time.perf_counter() - began
        print(f"world {world.name}{' (bid-only)' if args.bid_only else ''}, labels "
              f"{Path(labels.source).name}: {len(tenders):,} tenders screened in "
              f"{screened:.1f} s, models in {learned:.1f} s; rigged tenders "
              f"{result['tender']['unsupervised']['positives']}, cartel firms "
              f"{(result['firm'].get('unsupervised') or {}).get('positives', '–')}")
        print(f"  {'':24} {'tender':46} firm")
        for name, key in rows:
            print(f"  {name:24} {_cell(result['tender'].get(key)):46} "
                  f"{_cell(result['firm'].get(key))}")
        if args.groups:
            truth = planted_cartels(world / "ground_truth.json")
            r = evaluate_report(report, truth)
            planted = {m for c in truth for m in c["members"]}
            others = [g.score for g in report.groups if not set(g.stats.members) & planted]
            lowest = min((g.score for g in report.groups
                          if len(set(g.stats.members) & planted) * 2 >= len(g.stats.members)),
                         default=0.0)
            print(f"  groups (planted cartels): firm P {r['precision']:.3f} R "
                  f"{r['recall']:.3f}, group P {r['group_precision']:.2f} R "
                  f"{r['group_recall']:.2f}, missed {r['missed_cartels']}, lowest cartel "
                  f"group {lowest:.3f}, best innocent group {max(others, default=0.0):.3f}")


if __name__ == "__main__":
    main()

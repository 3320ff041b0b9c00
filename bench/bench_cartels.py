"""Cartel screen across seeds without Neo4j: precision / recall and time per generated world.

    .venv/bin/python bench/bench_cartels.py --firms 20000 --seeds 1 2 3 4 5 7 11 [--out DIR]

Generates each world (or reuses ``DIR/w<firms>-<seed>``), reads its bids from the Parquet
tables, runs the co-bidding group screen (models/screens/cartels.py) and evaluates it against
``ground_truth.json``. Without the graph there are no people / ownership links or blacklist
bonuses, so the scores are the base ``rotation × cover``; ``riskgraph screen cartels
--evaluate`` on a loaded world gives the full figures. Also prints the highest score of a group
that is not a planted cartel (the margin under the threshold).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import pyarrow.parquet as pq

from models.screens.cartel_evaluation import evaluate_report, planted_cartels
from models.screens.cartels import (
    CartelConfig,
    CartelReport,
    GroupFlag,
    cover_share,
    group_score,
    screen_groups,
)
from models.screens.cobidding import Tender, TenderBid, tenders_from
from seed.world import generate_world


def world_tenders(world: Path) -> dict[str, Tender]:
    bids = pq.read_table(world / "nodes" / "Bid.parquet").to_pylist()
    published = {r["tender_id"]: str(r["published_on"]) for r in
                 pq.read_table(world / "nodes" / "Tender.parquet").to_pylist()}
    parties: dict[str, list[tuple[bool, str]]] = defaultdict(list)
    for s in pq.read_table(world / "rels" / "SUBMITTED.parquet").to_pylist():
        parties[s["dst"]].append((s["role"] not in ("sole", "lead"), s["src"]))
    per_tender: dict[str, int] = defaultdict(int)
    for b in bids:
        per_tender[b["tender_id"]] += 1
    return tenders_from(
        TenderBid(b["tender_id"], published[b["tender_id"]], b["bid_id"], b["amount"],
                  b["status"], tuple(f for _, f in sorted(parties[b["bid_id"]])))
        for b in bids if per_tender[b["tender_id"]] >= 2)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--firms", type=int, default=20000)
    ap.add_argument("--seeds", type=int, nargs="+", default=[7, 11])
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args()
    cfg = CartelConfig()
    root = args.out or Path(tempfile.mkdtemp(prefix="cartel-bench-"))
    for seed in args.seeds:
        world = root / f"w{args.firms}-{seed}"
        if not (world / "ground_truth.json").is_file():
            generate_world(args.firms, seed, world, progress=False)
        began = time.perf_counter()
        tenders = world_tenders(world)
        flags = []
        for i, (_, stats) in enumerate(screen_groups(tenders, cfg), 1):
            cover = cover_share(stats, cfg.cover_band)
            score, rotation = group_score(stats, cover, False, False, cfg)
            flags.append(GroupFlag(f"group-{i:04d}", stats, cover, rotation, [], [], score,
                                   score >= cfg.threshold))
        seconds = time.perf_counter() - began
        report = CartelReport(cfg, len(tenders), None, flags, [], [])
        truth = planted_cartels(world / "ground_truth.json")
        r = evaluate_report(report, truth)
        planted = {m for c in truth for m in c["members"]}
        others = [g.score for g in flags if not set(g.stats.members) & planted]
        print(f"firms {args.firms} seed {seed}: precision {r['precision']:.3f} recall "
              f"{r['recall']:.3f} ({r['true_positive_firms']}/{r['flagged_firms']} flagged, "
              f"{r['planted_firms']} planted), groups {r['group_precision']:.2f}/"
              f"{r['group_recall']:.2f}, best innocent score {max(others, default=0.0):.3f}, "
              f"{len(tenders):,} tenders screened in {seconds:.2f} s")


if __name__ == "__main__":
    main()

"""Firm resolution across sources (issue 21): pairwise and cluster quality on planted firm
duplicates, time and memory. Prints figures; asserts nothing.

    .venv/bin/python bench/bench_firm_resolution.py --firms 20000 --rate 0.1

A world from ``generate_world``, then ``seed/firm_duplicates.py`` (``seed --firm-duplicates``):
every registry firm is a record of source A, a share RATE of them is listed again by a source B
with noisy names (legal form, script, typos), masked / mistyped / missing USCCs, rewritten or
moved addresses and some of their key persons. models/resolution/firms.py scores the pairs
(Splink on DuckDB) and clusters them; the figures are against firm_resolution_truth.csv, with
the misses broken down by the noise of the copy.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from riskgraph.graph.firm_links import is_registry_key
from riskgraph.models.resolution.clusters import cluster
from riskgraph.models.resolution.firms import resolve_firms
from riskgraph.models.resolution.matcher import MatchSettings
from riskgraph.models.resolution.metrics import evaluate
from riskgraph.models.resolution.truth import read_truth
from riskgraph.seed.firm_duplicates import TRUTH_FILE, firm_records, plant_firms
from riskgraph.seed.world import generate_world


def main() -> None:

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--firms", type=int, default=20000)
    ap.add_argument("--rate", type=float, default=0.1)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--thresholds", default="0.95,0.9,0.85,0.8",
                    help="the first is the product's (FIRM_THRESHOLD)")
    args = ap.parse_args()
    thresholds = [float(t) for t in args.thresholds.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        world = Path(tmp)
        generate_world(args.firms, args.seed, world, progress=False)
        copies = plant_firms(world, args.rate, args.seed)
        records = firm_records(world)
        truth = read_truth(world / TRUTH_FILE, "company")
        noise_of = {line.split(",")[1]: line.rsplit(",", 1)[1].strip()
                    for line in (world / TRUTH_FILE).read_text(encoding="utf-8").splitlines()[1:]}
    print(f"planted: {args.firms:,} registry firms, {copies:,} copies from a second source "
          f"(rate {args.rate}, seed {args.seed})")
    began = time.perf_counter()
    scored = resolve_firms(records, MatchSettings(threshold=thresholds[0])).scored
    took = time.perf_counter() - began
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    print(f"  resolved in {took:.1f} s (stages {scored.seconds}), {len(scored.pairs):,} pairs "
          f"scored >= 0.2; peak RSS {peak:.2f} GiB")
    apart = [r["record_id"] for r in records if is_registry_key(r["record_id"])]
    for t in thresholds:  # as resolve_firms: two registry firms never join one cluster
        c = cluster(((p["unique_id_l"], p["unique_id_r"], float(p["match_weight"]),
                      float(p["match_probability"])) for p in scored.pairs), t, apart=apart)
        assign = {m: cid for cid, ms in c.members.items() for m in ms}
        s = evaluate(truth, assign)
        missed = Counter(part for r, e in truth.items() if r != e
                         and (r not in assign or assign.get(e) != assign[r])
                         for part in noise_of[r].split(";"))
        print(f"  threshold {t}: pairwise precision {s.pair_precision:.4f}, recall "
              f"{s.pair_recall:.4f}, F1 {s.pair_f1:.4f} ({s.predicted_pairs:,} predicted, "
              f"{s.true_pairs:,} true); B-cubed {s.bcubed_precision:.4f} / "
              f"{s.bcubed_recall:.4f}; misses by noise {dict(missed.most_common(6))}")


if __name__ == "__main__":
    main()

"""The demo-world risk figures: the product's train() / evaluate() on a generated world.

    .venv/bin/python bench/bench_demo_world.py [--firms 20000] [--seed 7] [--world DIR] [--json]

Generates the world (``seed/world.py``; or reuses ``--world`` when it already holds one), reads
it with ``Snapshot.from_world`` (no server), trains with the default ``TrainConfig`` and
evaluates with the default window and stream, as ``riskgraph train`` / ``riskgraph evaluate``
do. Prints the model's ROC AUC and lift at 10 %, the scorecard's and the naive baseline's AUC.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from riskgraph.graph.schema import GROUND_TRUTH_FILE
from riskgraph.graph.snapshot import Snapshot
from riskgraph.models.risk.evaluation import evaluate
from riskgraph.models.risk.training import TrainConfig, train
from riskgraph.seed.world import generate_world


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--firms", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--world", type=Path, default=None, help="world folder (default tmp)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    world = args.world or Path(tempfile.mkdtemp(prefix="bench-demo-")) / "world"
    began = time.perf_counter()
    if not (world / "nodes").is_dir():
        generate_world(args.firms, args.seed, world, progress=False)
    snap = Snapshot.from_world(world)
    art = train(snap, TrainConfig())
    truth = world / GROUND_TRUTH_FILE
    res = evaluate(snap, art, ground_truth=truth if truth.is_file() else None)
    model = res["methods"]["model"]
    out = {"firms": args.firms, "seed": args.seed, "auc": model["auc"],
           "lift_at_10pct": model["lift_at_10pct"],
           "scorecard_auc": res["methods"]["scorecard"]["auc"],
           "baseline_auc": res["methods"]["baseline"]["auc"],
           "model_version": art.version, "seconds": round(time.perf_counter() - began, 1)}
    if args.json:
        print(json.dumps(out, indent=1))
        return
    print(f"demo world ({args.firms:,} firms, seed {args.seed}): model AUC {out['auc']:.3f}, "
          f"lift at 10% {out['lift_at_10pct']:.2f}x, scorecard AUC {out['scorecard_auc']:.3f}, "
          f"baseline AUC {out['baseline_auc']:.3f} ({out['seconds']} s; world {world})")


if __name__ == "__main__":
    main()

"""Benchmark the world generator: elapsed seconds and peak RSS for given sizes.

    .venv/bin/python bench/bench_seed.py                 # 100,000 firms
    .venv/bin/python bench/bench_seed.py --firms 1000000
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from riskgraph.seed.world import generate_world


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--firms", type=int, nargs="+", default=[100_000])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=None,
                        help="keep the world here (default: a temporary directory)")
    args = parser.parse_args()
    for firms in args.firms:
        out = args.out or Path(tempfile.mkdtemp(prefix="riskgraph-bench-"))
        began = time.perf_counter()
        summary = generate_world(firms, args.seed, out, progress=False)
        elapsed = time.perf_counter() - began
        peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        size_mib = sum(p.stat().st_size for p in out.rglob("*") if p.is_file()) / 2**20
        rows = sum(summary.counts.values())
        print(f"firms={firms:,} seed={args.seed} elapsed={elapsed:.1f}s "
              f"peak_rss={peak_mib:,.0f}MiB rows={rows:,} files={size_mib:,.0f}MiB "
              f"records={summary.counts.get('CreditRecord', 0):,} "
              f"persons={summary.counts.get('Person', 0):,}")
        if args.out is None:
            shutil.rmtree(out)


if __name__ == "__main__":
    main()

"""Phase profile of the person matcher (issue 21): candidate pairs per blocking rule (marginal
and cumulative, Splink's ``count_comparisons_from_blocking_rules``), the largest blocks, and the
seconds of each stage (prior, u, EM sessions, predict, clustering). Prints figures; asserts
nothing.

    .venv/bin/python bench/profile_resolution.py --firms 64000 --rate 0.05   # ~100k persons
"""

from __future__ import annotations

import argparse
import pickle
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from riskgraph.models.resolution.clusters import cluster
from riskgraph.models.resolution.features import person_features
from riskgraph.models.resolution.matcher import MatchSettings, _blocking, _db, score
from riskgraph.models.resolution.world_records import world_records
from riskgraph.seed.world import generate_world


def records_of(firms: int, rate: float, seed: int, cache: Path | None) -> list[dict]:
    path = cache / f"persons-{firms}-{rate}-{seed}.pickle" if cache else None
    if path and path.exists():
        return pickle.loads(path.read_bytes())
    with tempfile.TemporaryDirectory() as tmp:
        generate_world(firms, seed, Path(tmp), progress=False, duplicates=rate)
        records = world_records(Path(tmp))
    if path:
        path.write_bytes(pickle.dumps(records))
    return records


def main() -> None:
    from splink.blocking_analysis import count_comparisons_from_blocking_rules, n_largest_blocks

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--firms", type=int, default=64000)
    ap.add_argument("--rate", type=float, default=0.05)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--cache", type=Path, default=None, help="directory caching the records")
    ap.add_argument("--counts-only", action="store_true")
    args = ap.parse_args()
    records = records_of(args.firms, args.rate, args.seed, args.cache)
    table = person_features(records)
    print(f"{table.num_rows:,} persons ({args.firms:,} firms, rate {args.rate})")
    settings = MatchSettings()
    db = _db(settings)
    df = db.register(table, table_name="records")
    began = time.perf_counter()
    counts = count_comparisons_from_blocking_rules(
        df, blocking_rules=_blocking(), link_type="dedupe_only", record_sample_proportion=1.0)
    total = 0
    for rec in counts:
        total = rec["cumulative_comparison_count"]
        print(f"  {rec['blocking_rule'][:70]:<70} marginal {rec['marginal_comparison_count']:>13,}"
              f" cumulative {total:>13,}")
    print(f"  counted in {time.perf_counter() - began:.1f} s; {total:,} pairs to predict")
    from splink import block_on

    for rec in count_comparisons_from_blocking_rules(
            df, blocking_rules=[block_on("name_key"), block_on("birth_date"),
                                block_on("id_tail", "birth_year")],
            link_type="dedupe_only", record_sample_proportion=0.1):
        print(f"  EM rule {rec['blocking_rule'][:60]:<60} about "
              f"{rec['marginal_comparison_count']:>15,} pairs (10 % sample, marginal)")
    for rule in _blocking()[:8]:
        top = n_largest_blocks(df, blocking_rule=rule, link_type="dedupe_only", n_largest=3)
        rows = top.as_record_list()
        print(f"  largest blocks of {rule.get_blocking_rule('duckdb').blocking_rule_sql[:50]}: "
              + "; ".join(f"{[r[k] for k in r if k.startswith('key_')]} {r['block_count']:,}"
                          for r in rows))
    if args.counts_only:
        return
    began = time.perf_counter()
    scored = score(table, settings)
    took = time.perf_counter() - began
    began = time.perf_counter()
    cluster(((p["unique_id_l"], p["unique_id_r"], float(p["match_weight"]),
              float(p["match_probability"])) for p in scored.pairs), settings.threshold)
    clustering = time.perf_counter() - began
    print(f"  scored in {took:.1f} s, stages {scored.seconds}; {len(scored.pairs):,} pairs >= "
          f"review_low; clustering {clustering:.1f} s; peak RSS "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20:.2f} GiB")
    for session in scored.training:
        print(f"  EM session {session}")


if __name__ == "__main__":
    main()

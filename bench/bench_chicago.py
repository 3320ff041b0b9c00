"""The Chicago food-inspection benchmark: riskgraph end to end against the City's own model.

    .venv/bin/python bench/bench_chicago.py --data ../shared/data/chicago-food-inspections \
        [--json] [--work DIR] [--keep-server] [--skip-baselines] [--skip-ablation]

Runs the product's own path in a Neo4j instance of its own (home ``--work``/home; ports from
the ``RISKGRAPH_NEO4J_*_PORT`` environment, as for every riskgraph command):

1. ``bench/chicago_world.py`` converts the City's ``.Rds`` files into the CSV world layout;
2. ``riskgraph neo4j start``, ``riskgraph migrate``, ``riskgraph load WORLD``;
3. ``riskgraph train --level inspection --until 2014-04-16 --stream routine --records TRAIN``
   (the City's *Train* rows, all canvasses; the world's other inspections — complaints,
   re-inspections, licence inspections — still feed the features) with the converter's
   previous-results table (violation counts per licence and inspection day, ``--features``:
   each row counts from the day after it) and the per-inspection context (heat maps, weather,
   facility type, risk category, the licence-type flags in force) and sanitarian tables
   (``--event-features``);
4. ``riskgraph evaluate --level inspection --target serious --from 2014-09-02 --to 2014-10-31
   --stream routine --records TEST --json --predictions FILE`` (the City's *Test* rows; the
   target is a critical violation, which the converter maps to ``serious_violation``);
5. the same without the graph (link) features: ``--without people --without group --without
   supply --without bidding --without position`` (the ablation).

Beside them, on the same test inspections: the City's ``score`` column, and scikit-learn
``LogisticRegression`` and ``HistGradientBoostingClassifier`` fitted on the City's own feature
columns of the *Train* rows. Every method gets ROC AUC, precision in the top 10 % and the mean
days earlier that critical violations are found when the test period is re-ordered by score
into the same daily capacity (models/risk/inspections.py: ``days_earlier``). ``--json`` prints one
object per method with keys ``auc``, ``precision_at_10pct``, ``days_earlier``.
``--skip-baselines`` / ``--skip-ablation`` leave out the scikit-learn fits / the run without
graph features (for quicker iterations; the City's score is always shown).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from riskgraph.models.risk.inspections import days_earlier

HERE = Path(__file__).resolve().parent
TRAIN_UNTIL, TEST_FROM, TEST_TO = "2014-04-16", "2014-09-02", "2014-10-31"
NETWORK_GROUPS = ("people", "group", "supply", "bidding", "position")
CITY_FEATURES = (
    "pastSerious", "pastCritical", "timeSinceLast", "ageAtInspection",
    "consumption_on_premises_incidental_activity", "tobacco_retail_over_counter",
    "temperatureMax", "heat_burglary", "heat_sanitation", "heat_garbage",
    "Inspector_Assigned", "Facility_Type", "pastFail", "pastMinor", "firstRecord",
    "package_goods", "limited_business_license", "outdoor_patio", "public_place_of_amusement",
    "childrens_services_facility_license", "tavern", "regulated_business_license",
    "filling_station", "caterers_liquor_license", "mobile_food_license", "precipIntensity",
    "windSpeed", "humidity",
)


def metrics(day: np.ndarray, y: np.ndarray, score: np.ndarray) -> dict[str, Any]:
    from sklearn.metrics import roc_auc_score

    from riskgraph.models.risk.evaluation_report import top_metrics

    return {"auc": float(roc_auc_score(y, score)),
            "precision_at_10pct": top_metrics(y, score)["precision_at_10pct"],
            "days_earlier": days_earlier(day, y, score), "examples": len(y)}


def city_table(data: Path) -> Any:
    import rdata

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return rdata.read_rds(data / "30_xgboost_data.Rds")


def baselines(data: Path, fit: bool = True) -> tuple[dict[str, dict[str, Any]], Any]:
    """The City's score, LogisticRegression and HistGradientBoosting on the City's columns."""
    import pandas as pd
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    df = city_table(data)
    x = pd.get_dummies(df[list(CITY_FEATURES)], columns=["Inspector_Assigned", "Facility_Type"],
                       dtype=float).fillna(0.0).to_numpy(dtype=float)
    y = df["criticalFound"].to_numpy(dtype=float) > 0
    train = df["Train"].to_numpy(dtype=bool)
    test = df["Test"].to_numpy(dtype=bool)
    day = df["Inspection_Date"].to_numpy(dtype=np.int64)
    out = {"city_score": metrics(day[test], y[test], df["score"].to_numpy(dtype=float)[test])}
    if not fit:
        return out, df
    lr = make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=2000))
    lr.fit(x[train], y[train])
    out["sklearn_logistic"] = metrics(day[test], y[test], lr.predict_proba(x[test])[:, 1])
    hgb = HistGradientBoostingClassifier(random_state=0)
    hgb.fit(x[train], y[train])
    out["sklearn_hist_gradient_boosting"] = metrics(day[test], y[test],
                                                    hgb.predict_proba(x[test])[:, 1])
    return out, df


class Product:
    """The riskgraph commands, run as a user runs them, against the bench's own home."""

    def __init__(self, home: Path) -> None:
        self.bin = str(Path(sys.executable).parent / "riskgraph")
        self.env = dict(os.environ, RISKGRAPH_HOME=str(home))
        self.seconds: dict[str, float] = {}

    def run(self, step: str, *args: str) -> str:
        began = time.perf_counter()
        proc = subprocess.run([self.bin, *args], env=self.env, capture_output=True, text=True,
                              check=False)
        self.seconds[step] = round(time.perf_counter() - began, 1)
        if proc.returncode != 0:
            raise SystemExit(f"`riskgraph {' '.join(args)}` failed ({proc.returncode}):\n"
                             f"{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
        return proc.stdout


def inspector_table(world: Path, out: Path) -> Path:
    """An event table (record_id, sanitarian) from the world's INSPECTED_BY relationships."""
    rows = list(csv.DictReader((world / "rels" / "INSPECTED_BY.csv").open(encoding="utf-8")))
    with out.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["record_id", "sanitarian"])
        for r in rows:
            w.writerow([r["src"], r["dst"]])
    return out


def split_tables(world: Path, work: Path) -> dict[str, Path]:
    """``record_id`` tables of the City's Train and Test rows (from the converter's split.csv),
    for ``--records``: the world also holds the City's other inspections, which feed features
    but are not examples of the City's split."""
    rows = list(csv.DictReader((world / "features" / "split.csv").open(encoding="utf-8")))
    out: dict[str, Path] = {}
    for part in ("train", "test"):
        out[part] = work / f"{part}_records.csv"
        out[part].write_text("record_id\n" + "".join(
            r["record_id"] + "\n" for r in rows if r["split"] == part), encoding="utf-8")
    return out


def riskgraph_rows(product: Product, world: Path, work: Path, df: Any, ablation: bool = True
                   ) -> dict[str, dict[str, Any]]:
    feats = world / "features"
    split = split_tables(world, work)
    event_args = ["--event-features", str(feats / "inspection_context.csv"),
                  "--event-features", str(inspector_table(world, work / "sanitarian.csv"))]
    user_args = ["--features", str(feats / "inspection_results.csv")]
    test_ids = {str(int(v)) for v in df.loc[df["Test"].to_numpy(dtype=bool), "Inspection_ID"]}
    out: dict[str, dict[str, Any]] = {}
    runs: list[tuple[str, tuple[str, ...]]] = [("riskgraph", ())]
    if ablation:
        runs.append(("riskgraph_without_graph_features", NETWORK_GROUPS))
    for name, without in runs:
        extra = [a for g in without for a in ("--without", g)]
        product.run(f"train {name}", "train", "--level", "inspection", "--until", TRAIN_UNTIL,
                    "--stream", "routine", "--records", str(split["train"]), *user_args,
                    *event_args, *extra)
        pred = work / f"{name}-predictions.csv"
        report = json.loads(product.run(
            f"evaluate {name}", "evaluate", "--level", "inspection", "--target", "serious",
            "--from", TEST_FROM, "--to", TEST_TO, "--stream", "routine",
            "--records", str(split["test"]), "--json",
            "--predictions", str(pred)))
        rows = [r for r in csv.DictReader(pred.open(encoding="utf-8"))]
        matched = sum(r["record_id"] in test_ids for r in rows)
        out[name] = {"auc": report["auc"], "precision_at_10pct": report["precision_at_10pct"],
                     "days_earlier": report["days_earlier"], "examples": report["examples"],
                     "city_test_rows_matched": matched,
                     "model_version": report["model_version"]}
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="the City's files")
    parser.add_argument("--json", action="store_true", help="print the table as JSON")
    parser.add_argument("--work", type=Path, default=None, help="working folder (default tmp)")
    parser.add_argument("--keep-server", action="store_true", help="leave Neo4j running")
    parser.add_argument("--skip-baselines", action="store_true",
                        help="leave out the scikit-learn fits (the City's score stays)")
    parser.add_argument("--skip-ablation", action="store_true",
                        help="leave out the run without graph features")
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-chicago-"))
    work.mkdir(parents=True, exist_ok=True)
    world, home = work / "world", work / "home"
    began = time.perf_counter()
    product = Product(home)
    if not (world / "manifest.json").is_file():
        t0 = time.perf_counter()
        subprocess.run([sys.executable, str(HERE / "chicago_world.py"), "--data",
                        str(args.data), "--out", str(world)], check=True, capture_output=True)
        product.seconds["convert"] = round(time.perf_counter() - t0, 1)
    table, df = baselines(args.data, fit=not args.skip_baselines)
    product.run("neo4j start", "neo4j", "start")
    try:
        product.run("migrate", "migrate")
        product.run("load", "load", str(world))
        table.update(riskgraph_rows(product, world, work, df, not args.skip_ablation))
    finally:
        if not args.keep_server:
            product.run("neo4j stop", "neo4j", "stop")
    if args.json:
        print(json.dumps([{"method": k, **v} for k, v in table.items()], indent=1))
        return
    print(f"Chicago food inspections: train rows to {TRAIN_UNTIL}, test {TEST_FROM} … "
          f"{TEST_TO} (target: critical violation found)")
    print(f"{'method':36} {'AUC':>6} {'P@10%':>6} {'days earlier':>13} {'n':>6}")
    for k, v in table.items():
        de = "–" if v["days_earlier"] is None else f"{v['days_earlier']:.1f}"
        print(f"{k:36} {v['auc']:6.3f} {v['precision_at_10pct']:6.3f} {de:>13} "
              f"{v['examples']:6d}")
    print(f"goal: riskgraph AUC >= 0.70 and P@10% >= 0.40; steps (s): {product.seconds}; "
          f"total {time.perf_counter() - began:.0f} s; work folder {work}")


if __name__ == "__main__":
    main()

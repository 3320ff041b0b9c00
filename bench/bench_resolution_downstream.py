"""What entity resolution changes downstream (issue 21): phoenix recall and the risk model's AUC
on a world with planted duplicate people, without resolution, through the matcher's resolution
and through the planted truth, side by side. Prints figures; asserts nothing.

    .venv/bin/python bench/bench_resolution_downstream.py --firms 8000 --rate 0.05

The world comes from ``seed --duplicates RATE`` (seed/duplicates.py): a copy of a person takes
over about half of the person's roles, so firms sharing a person may share only two records of
them; and in half of the phoenix pairs (``PHOENIX_EVASION``) the people the successor shares
with the predecessor reappear there under a new, noisy record, so that only resolution links
the pair. Three
snapshots of the same world differ only in their SAME_AS links:

- **none**: every Person record is its own person (what the features read before issue 21);
- **matcher**: the clusters of models/resolution/run.py (Splink on DuckDB, threshold 0.95);
- **truth**: the planted entities of ``resolution_truth.csv`` (the ceiling);
- **skew**: a model trained on **none** and evaluated on **matcher**: what the dropped
  decision-date rule would give when a resolution run comes after the training panels.

Links are dated by the product's rule (graph/snapshot.py ``Snapshot.with_links``): a link
counts from the first day its record appears, whatever the day of the decision, so the training
panels and the scoring see the same people. (Under the earlier rule, a link counting from its
decision day, a run made after the data date reached no training panel and every training
figure equalled **none**: the train/serve skew that rule was dropped for.)

Figures, per variant: phoenix successors alive at the data date
that ``phoenix_signal`` flags (> 0), the planted phoenix successors the model ranks in its top
10 %, the model's AUC, PR-AUC and the scorecard's AUC over the evaluation panels after the
cutoff (``models.evaluation.evaluate``), each with a model trained on that variant, and the
firm pairs that share a current legal representative, director or controller (what the
``linked_*`` features count).
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from riskgraph.graph.key_index import index_of
from riskgraph.graph.schema import GROUND_TRUTH_FILE
from riskgraph.graph.snapshot import Snapshot
from riskgraph.models.resolution.matcher import MatchSettings
from riskgraph.models.resolution.run import resolve
from riskgraph.models.resolution.truth import read_truth
from riskgraph.models.resolution.world_records import world_records
from riskgraph.models.risk.evaluation import evaluate
from riskgraph.models.risk.features import compute_features
from riskgraph.models.risk.features.context import FeatureContext
from riskgraph.models.risk.train_config import TrainConfig
from riskgraph.models.risk.training import as_of_default, train
from riskgraph.seed.duplicates import PHOENIX_EVASION, TRUTH_FILE
from riskgraph.seed.world import generate_world


def linked(snap: Snapshot, assignment: dict[str, str]) -> Snapshot:
    """``snap`` with SAME_AS links record → entity, for entities of two or more records, dated
    as the product dates the links it reads from the graph (``Snapshot.with_links``)."""
    sizes: dict[str, int] = {}
    for e in assignment.values():
        sizes[e] = sizes.get(e, 0) + 1
    rows = sorted((r, e) for r, e in assignment.items() if sizes[e] > 1)
    return snap.with_links([r for r, _ in rows], [e for _, e in rows])


def hidden_successors(snap: Snapshot, world: Path, truth: dict[str, str]
                      ) -> tuple[int, np.ndarray[Any, np.dtype[np.int64]]]:
    """(planted phoenix pairs whose predecessor and successor share a key person by the
    truth, the successors of those that share no person record): the links duplicates hide."""
    doc = json.loads((world / GROUND_TRUTH_FILE).read_text(encoding="utf-8"))
    firm = {u: i for i, u in enumerate(snap.uscc.astype(str).tolist())}
    holders: dict[int, set[str]] = {}
    for p, f in zip(snap.role_person.tolist(), snap.role_firm.tolist(), strict=True):
        holders.setdefault(f, set()).add(str(snap.person_id[p]))
    shared, hidden = 0, []
    for e in doc["schemes"].get("phoenix_firms", []):
        a, b = firm.get(e.get("predecessor", "")), firm.get(e.get("successor") or "")
        if a is None or b is None:
            continue
        ra, rb = holders.get(a, set()), holders.get(b, set())
        if {truth.get(p, p) for p in ra} & {truth.get(p, p) for p in rb}:
            shared += 1
            if not ra & rb:
                hidden.append(b)
    return shared, np.array(sorted(hidden), dtype=np.int64)


def evaders_found(world: Path, assignment: dict[str, str]) -> tuple[int, int, list[str]]:
    """(phoenix evaders the matcher put in their original's cluster, evaders, the noise of
    those it missed)."""
    with (world / TRUTH_FILE).open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["noise"].endswith("phoenix_evasion")]
    missed = [r["noise"] for r in rows if assignment.get(r["record_id"]) is None
              or assignment.get(r["record_id"]) != assignment.get(r["entity_id"])]
    return len(rows) - len(missed), len(rows), missed


def successors(world: Path, snap: Snapshot) -> np.ndarray[Any, np.dtype[np.int64]]:
    doc = json.loads((world / GROUND_TRUTH_FILE).read_text(encoding="utf-8"))
    firms = sorted({e["successor"] for e in doc["schemes"].get("phoenix_firms", [])
                    if e.get("successor")})
    idx = index_of(snap.uscc.astype(str), np.asarray(firms, dtype=str))
    return idx[idx >= 0]


def measure(label: str, snap: Snapshot, world: Path,
            succ: np.ndarray[Any, np.dtype[np.int64]], hidden: np.ndarray[Any, np.dtype[np.int64]],
            trained_on: Snapshot | None = None) -> None:
    began = time.perf_counter()
    t = as_of_default(snap)
    fm = compute_features(snap, t, ["phoenix_signal", "linked_firms"])
    pairs = FeatureContext(snap, t).linked.nnz // 2
    alive = fm.alive[succ]
    signal = fm.column("phoenix_signal")
    flagged = signal[succ][alive] > 0
    h_alive = fm.alive[hidden]
    h_flagged = int((signal[hidden][h_alive] > 0).sum())
    art = train(trained_on if trained_on is not None else snap, TrainConfig())
    res = evaluate(snap, art, ground_truth=world / GROUND_TRUTH_FILE)
    top = res["scheme_recall_at_10pct"].get("phoenix_firms", {})
    print(f"  {label:8s} phoenix_signal recall {flagged.mean():.4f} ({int(flagged.sum())} of "
          f"{int(alive.sum())} live successors; hidden by a copy: {h_flagged} of "
          f"{int(h_alive.sum())}); phoenix successors in the model's top 10 % "
          f"{top.get('model', float('nan')):.4f}; model AUC {res['auc']:.4f}, PR-AUC "
          f"{res['pr_auc']:.4f}, scorecard AUC {res['scorecard_auc']:.4f} "
          f"({res['examples']:,} examples); firm pairs sharing a current key person {pairs:,}; "
          f"{time.perf_counter() - began:.0f} s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--firms", type=int, default=8000)
    ap.add_argument("--rate", type=float, default=0.05)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--threshold", type=float, default=0.95)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        world = Path(tmp)
        began = time.perf_counter()
        generate_world(args.firms, args.seed, world, progress=False, duplicates=args.rate)
        truth = read_truth(world / TRUTH_FILE)
        base = Snapshot.from_world(world)
        copies = sum(r != e for r, e in truth.items())
        print(f"world: {args.firms:,} firms, seed {args.seed}, {base.n_persons:,} persons of "
              f"which {copies:,} planted copies (rate {args.rate}); "
              f"{time.perf_counter() - began:.0f} s")
        began = time.perf_counter()
        result = resolve(world_records(world), MatchSettings(threshold=args.threshold))
        print(f"  matcher: {len(result.clustering.members):,} clusters in "
              f"{time.perf_counter() - began:.0f} s")
        found, evaders, missed = evaders_found(world, result.assignment())
        print(f"  phoenix evaders linked to their original by the matcher: {found} of "
              f"{evaders}; missed: {'; '.join(sorted(missed)) or 'none'}")
        succ = successors(world, base)
        shared, hidden = hidden_successors(base, world, truth)
        print(f"  phoenix pairs sharing a key person (truth): {shared}; of which the copies "
              f"hide (no record in common): {len(hidden)} (phoenix evasion "
              f"{PHOENIX_EVASION} of the pairs, seed/duplicates.py)")
        measure("none", base, world, succ, hidden)
        measure("matcher", linked(base, result.assignment()), world, succ, hidden)
        measure("truth", linked(base, truth), world, succ, hidden)
        # the skew the decision-date rule would make: trained on panels that saw no links,
        # scored (evaluated) with the links in place
        measure("skew", linked(base, result.assignment()), world, succ, hidden,
                trained_on=base)
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20:.2f} GiB")


if __name__ == "__main__":
    main()

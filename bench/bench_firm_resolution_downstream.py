"""What firm resolution changes downstream (issue 21): a world whose second source publishes some
of a firm's records and bids under its own key, read without resolution, through the matcher's
firm links and through the planted truth, side by side. Prints figures; asserts nothing.

    .venv/bin/python bench/bench_firm_resolution_downstream.py --firms 24000 --rate 0.2

The world comes from ``seed --firm-duplicates RATE`` (seed/firm_duplicates.py): a share RATE of
the registry firms is listed again under a portal key (``ocds-party:src-b/<n>``), and about half
of each such firm's non-inspection records (penalties, listings, arrears, ...) and of its bids
are published under the copy's key (the listed persons' roles are repeated there). Three
snapshots of the same world differ only in their firm links (graph/firm_links.py
``fold_firms``, as ``Snapshot.from_neo4j`` reads them):

- **none**: every Company key is a firm (the copies are scored as firms of their own);
- **matcher**: the clusters of models/resolution/firms.py (Splink, threshold 0.95) on the
  records the graph gives ``riskgraph resolve firms`` (cypher/resolution/list_company_records:
  key, name, the USCC or ``uscc_reported``, the smallest registered address, key persons);
- **truth**: the planted entities of ``firm_resolution_truth.csv`` (the ceiling: the firms'
  records and bids are again those of the world without copies).

Figures, per variant: firms in the snapshot (copies scored as firms), the duplicated firms
whose features equal the truth's (penalties_3y, blacklisted_active, linked_firms,
linked_blacklisted, cobidders_risky, cobid_max_repeat, phoenix_signal), their tiers and risk
under one model (trained on **truth**, so only the data differ), phoenix successors flagged by
``phoenix_signal``, the planted schemes' firms in each variant's own model's top 10 %, and that
model's AUC / PR-AUC and the scorecard's AUC (``models.risk.evaluation.evaluate``; the
inspections, the labels, stay with the registry firms, so every variant has the same examples).
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from riskgraph.graph.errors import RiskgraphError
from riskgraph.graph.firm_links import fold_firms
from riskgraph.graph.key_index import index_of
from riskgraph.graph.schema import GROUND_TRUTH_FILE
from riskgraph.graph.snapshot import Snapshot, day_of
from riskgraph.models.resolution.firms import resolve_firms
from riskgraph.models.resolution.matcher import MatchSettings
from riskgraph.models.resolution.truth import read_truth
from riskgraph.models.risk.artifact import RiskArtifact
from riskgraph.models.risk.evaluation import evaluate
from riskgraph.models.risk.features import compute_features
from riskgraph.models.risk.scoring import score_snapshot
from riskgraph.models.risk.train_config import TrainConfig
from riskgraph.models.risk.training import as_of_default, train
from riskgraph.seed.firm_duplicates import COPY_PREFIX, KEY_ROLES, TRUTH_FILE, firm_records
from riskgraph.seed.world import generate_world

FEATURES = ["penalties_3y", "blacklisted_active", "linked_firms", "linked_blacklisted",
            "cobidders_risky", "cobid_max_repeat", "phoenix_signal"]
_USCC = re.compile(r"[0-9A-Z]{18}")


def graph_records(world: Path) -> list[dict[str, Any]]:
    """The firm records cypher/resolution/list_company_records.cypher gives, from the files."""
    firms = pq.read_table(world / "nodes/Company.parquet").to_pylist()
    text = {r["address_id"]: r["text"] for r in pq.read_table(
        world / "nodes/Address.parquet", columns=["address_id", "text"]).to_pylist()}
    home: dict[str, str] = {}
    for r in pq.read_table(world / "rels/REGISTERED_AT.parquet", columns=["src", "dst"]
                           ).to_pylist():
        t = text.get(r["dst"])
        if t is not None and (r["src"] not in home or t < home[r["src"]]):
            home[r["src"]] = t
    people: dict[str, set[str]] = defaultdict(set)
    for name in KEY_ROLES:
        for r in pq.read_table(world / f"rels/{name}.parquet", columns=["src", "dst"]
                               ).to_pylist():
            people[r["dst"]].add(r["src"])
    return [{"record_id": f["uscc"], "name": f["name"],
             "uscc": f["uscc"] if _USCC.fullmatch(f["uscc"]) else f.get("uscc_reported"),
             "address": home.get(f["uscc"]), "people": sorted(people.get(f["uscc"], ()))}
            for f in firms]


def folded(base: Snapshot, assignment: dict[str, str]) -> Snapshot:
    keys = sorted(assignment)
    return fold_firms(base, keys, [assignment[k] for k in keys])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--firms", type=int, default=24000)
    ap.add_argument("--rate", type=float, default=0.2)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--threshold", type=float, default=0.95)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        world = Path(tmp)
        began = time.perf_counter()
        generate_world(args.firms, args.seed, world, progress=False,
                       firm_duplicates=args.rate)
        truth = read_truth(world / TRUTH_FILE, kind="company")
        base = Snapshot.from_world(world)
        copies = sorted(k for k in truth if k.startswith(COPY_PREFIX))
        originals = sorted({truth[k] for k in copies})
        moved = sum(s.startswith(COPY_PREFIX) for s in pq.read_table(
            world / "rels/HAS_RECORD.parquet", columns=["src"])["src"].to_pylist())
        bids = sum(s.startswith(COPY_PREFIX) for s in pq.read_table(
            world / "rels/SUBMITTED.parquet", columns=["src"])["src"].to_pylist())
        print(f"world: {args.firms:,} registry firms, seed {args.seed}, {len(copies):,} copies "
              f"(rate {args.rate}) holding {moved:,} moved records and {bids:,} moved bids; "
              f"{time.perf_counter() - began:.0f} s")
        began = time.perf_counter()
        settings = MatchSettings(threshold=args.threshold)
        try:
            result = resolve_firms(graph_records(world), settings)
            source = "the graph's records"
        except RiskgraphError as exc:  # reported, then the generator's fuller records
            print(f"  matcher on the graph's records failed: {str(exc)[:160]}")
            result = resolve_firms(firm_records(world), settings)
            source = "firm_records_b.parquet + registry (fallback)"
        found = result.assignment()
        right = sum(1 for c in copies if c in found and found.get(truth[c]) == found[c])
        print(f"  matcher: {len(result.clustering.members):,} clusters; {right:,} of "
              f"{len(copies):,} copies linked to their registry firm (from {source}); "
              f"{time.perf_counter() - began:.0f} s")
        variants = {"none": base, "matcher": folded(base, found), "truth": folded(base, truth)}
        t = day_of(as_of_default(variants["truth"]))
        feats = {name: compute_features(s, t, FEATURES) for name, s in variants.items()}

        def at(name: str) -> np.ndarray[Any, np.dtype[np.int64]]:
            return index_of(variants[name].uscc.astype(str), np.asarray(originals, dtype=str))

        ref = feats["truth"].values[at("truth")]
        began = time.perf_counter()
        ceiling = train(variants["truth"], TrainConfig())
        scored = {n: score_snapshot(s, ceiling) for n, s in variants.items()}
        ref_tier = scored["truth"].tier[at("truth")]
        ref_risk = scored["truth"].risk[at("truth")]
        print(f"  one model trained on truth for the tiers ({time.perf_counter() - began:.0f} s)")
        doc = json.loads((world / GROUND_TRUTH_FILE).read_text(encoding="utf-8"))
        succ = sorted({e["successor"] for e in doc["schemes"].get("phoenix_firms", [])
                       if e.get("successor")})
        for name, snap in variants.items():
            began = time.perf_counter()
            fm = feats[name]
            vals = fm.values[at(name)]
            same = [(vals[:, j] == ref[:, j]).mean() for j in range(len(FEATURES))]
            whole = (vals == ref).all(axis=1).mean()
            tier_same = (scored[name].tier[at(name)] == ref_tier).mean()
            lower = (scored[name].risk[at(name)] < ref_risk - 1e-9).mean()
            s_idx = index_of(snap.uscc.astype(str), np.asarray(succ, dtype=str))
            s_idx = s_idx[s_idx >= 0]
            alive = fm.alive[s_idx]
            flagged = fm.column("phoenix_signal")[s_idx][alive] > 0
            art: RiskArtifact = train(snap, TrainConfig())
            res = evaluate(snap, art, ground_truth=world / GROUND_TRUTH_FILE)
            top = {k: v.get("model") for k, v in res["scheme_recall_at_10pct"].items()}
            n_copies = int(sum(u.startswith(COPY_PREFIX) for u in snap.uscc.astype(str)))
            print(f"  {name:8s} firms {snap.n_firms:,} (copies as firms {n_copies:,}); "
                  f"duplicated firms with the truth's features {whole:.4f} (per feature: "
                  + ", ".join(f"{f} {v:.4f}" for f, v in zip(FEATURES, same, strict=True))
                  + f"); same tier as truth {tier_same:.4f}, lower risk {lower:.4f}; "
                  f"phoenix_signal on live successors {flagged.mean():.4f} "
                  f"({int(flagged.sum())} of {int(alive.sum())}); model AUC {res['auc']:.4f}, "
                  f"PR-AUC {res['pr_auc']:.4f}, scorecard AUC {res['scorecard_auc']:.4f} "
                  f"({res['examples']:,} examples); schemes in the top 10 %: "
                  + ", ".join(f"{k} {v:.4f}" for k, v in sorted(top.items()) if v is not None)
                  + f"; {time.perf_counter() - began:.0f} s")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20:.2f} GiB")


if __name__ == "__main__":
    main()

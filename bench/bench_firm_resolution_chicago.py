"""Firm resolution on a real register without USCCs: the City of Chicago's licences (issue 21).
Prints figures; asserts nothing.

    .venv/bin/python bench/chicago_world.py --data ../shared/data/chicago-food-inspections \
        --out /tmp/chicago-world
    .venv/bin/python bench/bench_firm_resolution.py   # the planted truth, for comparison
    .venv/bin/python bench/bench_firm_resolution_chicago.py --world /tmp/chicago-world

The records are those ``cypher/resolution/list_company_records.cypher`` reads from the loaded
world (key, name, first registered address; no USCC, no key person), built here from the
world's CSV files so that no Neo4j is needed. There is no truth: the merged pairs are checked
against what the City knows beside them and the model did not see, the licence's account
number (its holder) and legal name, and counted by what they have in common.
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import resource
import sys
import time
from collections.abc import Mapping
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from riskgraph.models.resolution.firms import FIRM_THRESHOLD, resolve_firms


def rows(world: Path, name: str) -> list[dict[str, str]]:
    with (world / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def links(world: Path, name: str) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for r in rows(world, name):
        out.setdefault(r["src"], set()).add(r["dst"])
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--world", type=Path, required=True, help="a world of bench/chicago_world.py")
    ap.add_argument("--examples", type=int, default=8)
    args = ap.parse_args()
    world: Path = args.world
    text = {r["address_id"]: r["text"] for r in rows(world, "nodes/Address.csv")}
    address = {k: min(text[a] for a in v)
               for k, v in links(world, "rels/REGISTERED_AT.csv").items()}
    account, legal = links(world, "rels/HELD_BY.csv"), links(world, "rels/HAS_LEGAL_NAME.csv")
    records: list[dict[str, object]] = [
        {"record_id": r["uscc"], "name": r["name"], "address": address.get(r["uscc"]),
         "people": []} for r in rows(world, "nodes/Company.csv")]
    start = time.perf_counter()
    result = resolve_firms(records)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    d = result.detail
    print(f"{len(records):,} licences: {d['pairs_scored']:,} pairs scored, {d['clusters']:,} "
          f"firms of two or more licences ({len(result.links):,} links), "
          f"{len(result.candidates):,} pairs queued; {seconds:.1f} s, peak RSS {peak:.2f} GiB")
    for note in d["notes"]:
        print(f"  note: {note}")
    merged = [(p["unique_id_l"], p["unique_id_r"]) for p in result.scored.pairs
              if p["match_probability"] >= FIRM_THRESHOLD]
    share(f"merged pairs (>= {FIRM_THRESHOLD})", merged, account, legal, address)
    share("queued pairs", [(c["a"], c["b"]) for c in result.candidates], account, legal, address)
    name = {str(r["record_id"]): str(r["name"]) for r in records}
    numbered = [p for p in merged if digits(name[p[0]]) != digits(name[p[1]])]
    both = sum(bool(digits(name[a])) and bool(digits(name[b])) for a, b in numbered)
    print(f"merged pairs whose names carry other numbers: {len(numbered):,}, {both:,} of them "
          "with a number in both names")
    rng = random.Random(0)
    for a, b in rng.sample(merged, min(args.examples, len(merged))):
        same = "same account" if account.get(a, set()) & account.get(b, set()) else "-"
        print(f"  {name[a]!r} / {name[b]!r} at {address.get(a)!r}: {same}")


def digits(text: str) -> list[str]:
    return re.findall(r"\d+", text)


def share(what: str, pairs: list[tuple[str, str]], account: Mapping[str, set[str]],
          legal: Mapping[str, set[str]], address: Mapping[str, str]) -> None:
    def common(links: Mapping[str, set[str]]) -> int:
        return sum(bool(links.get(a, set()) & links.get(b, set())) for a, b in pairs)

    n = max(len(pairs), 1)
    at_one = sum(address.get(a) is not None and address.get(a) == address.get(b)
                 for a, b in pairs)
    print(f"{what}: {len(pairs):,}; one address {at_one:,} ({at_one / n:.3f}), one account "
          f"number {common(account):,} ({common(account) / n:.3f}), one legal name "
          f"{common(legal):,} ({common(legal) / n:.3f})")


if __name__ == "__main__":
    main()

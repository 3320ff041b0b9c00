"""Validation throughput (rows/s) on a synthetic world, typed (Parquet) and as text (CSV).

    .venv/bin/python bench/bench_validate.py                    # 1,000,000 firms
    .venv/bin/python bench/bench_validate.py --firms 200000 --bad 0.01
    .venv/bin/python bench/bench_validate.py --world DIR        # a world directory instead

The synthetic world has firms (valid USCCs, a share ``--bad`` corrupted), persons, legal
representatives, shareholdings (person and company holders) and supply links, so every check
runs: types, choices, USCC, dates in order, ranges, duplicates and endpoint resolution.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pyarrow as pa

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from riskgraph.graph.schema import Label, Rel
from riskgraph.graph.uscc import ALPHABET, WEIGHTS
from riskgraph.graph.validation import validate_world
from riskgraph.graph.world_io import World, read_world


def usccs(rng: np.random.Generator, n: int, bad: float) -> tuple[np.ndarray, np.ndarray]:
    """``n`` distinct valid USCCs (vectorised) as str, and the same with a share ``bad`` given a
    wrong check character."""
    alphabet = np.frombuffer(ALPHABET.encode(), dtype=np.uint8)
    values = np.empty((n, 17), dtype=np.int64)
    values[:, 0], values[:, 1] = 9, 1
    values[:, 2:8] = rng.integers(0, 10, (n, 6))
    org = np.arange(n, dtype=np.int64) * 7919 + int(rng.integers(0, 1000))
    for col in range(16, 7, -1):
        values[:, col], org = org % 31, org // 31
    check = (31 - (values * np.array(WEIGHTS)).sum(axis=1) % 31) % 31
    chars = np.concatenate([alphabet[values], alphabet[check][:, None]], axis=1)
    valid = chars.view("S18").ravel().astype(str)
    chars[:, 17] = np.where(rng.random(n) < bad, alphabet[(check + 1) % 31], chars[:, 17])
    return valid, chars.view("S18").ravel().astype(str)


def synthetic_world(firms: int, bad: float, seed: int = 7) -> World:
    rng = np.random.default_rng(seed)
    codes, company_keys = usccs(rng, firms, bad)
    founded = rng.integers(9000, 20000, firms)
    company = pa.table({
        "uscc": company_keys, "name": np.char.add("Firm ", np.arange(firms).astype(str)),
        "region_code": np.char.zfill(rng.integers(110000, 660000, firms).astype(str), 6),
        "founded_on": pa.array(founded, pa.int32()).cast(pa.date32()),
        "status": rng.choice(["active", "dissolved", "revoked"], firms),
        "registered_capital": rng.lognormal(13, 1.5, firms),
        "employees": rng.integers(1, 5000, firms),
    })
    persons = int(firms * 1.5)
    person_ids = np.char.add("p-", np.arange(persons).astype(str))
    person = pa.table({"person_id": person_ids,
                       "name": np.char.add("Person ", np.arange(persons).astype(str))})
    legal = pa.table({"src": person_ids[rng.integers(0, persons, firms)], "dst": codes,
                      "since": company["founded_on"]})
    holders = int(firms * 1.7)
    by_company = rng.random(holders) < 0.2
    src = np.where(by_company, codes[rng.integers(0, firms, holders)],
                   person_ids[rng.integers(0, persons, holders)])
    equity = pa.table({"src": src, "dst": codes[rng.integers(0, firms, holders)],
                       "src_label": np.where(by_company, "Company", "Person"),
                       "share": np.round(rng.uniform(0.5, 100, holders), 2)})
    links = int(firms * 1.8)
    supplies = pa.table({"src": codes[rng.integers(0, firms, links)],
                         "dst": codes[rng.integers(0, firms, links)],
                         "annual_value": rng.lognormal(12, 2, links)})
    return World(nodes={Label.COMPANY: company, Label.PERSON: person},
                 rels={Rel.LEGAL_REPRESENTATIVE_OF: legal, Rel.HOLDS_EQUITY: equity,
                       Rel.SUPPLIES: supplies})


def as_text(world: World) -> World:
    """Every column as text, as read from the CSV templates."""
    def text(table: pa.Table) -> pa.Table:
        return pa.table({c: table[c].cast(pa.string()) for c in table.column_names})
    return World(nodes={k: text(v) for k, v in world.nodes.items()},
                 rels={k: text(v) for k, v in world.rels.items()})


def measure(name: str, world: World) -> None:
    rows = world.total_rows()
    began = time.perf_counter()
    result = validate_world(world)
    seconds = time.perf_counter() - began
    print(f"{name}: {rows:,} rows in {seconds:.2f} s = {rows / seconds:,.0f} rows/s; "
          f"{len(result.rejects):,} rejects; {result.world.total_rows():,} good rows")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--firms", type=int, default=1_000_000)
    parser.add_argument("--bad", type=float, default=0.001, help="share of corrupted USCCs")
    parser.add_argument("--world", type=Path, help="validate this world directory instead")
    args = parser.parse_args()
    if args.world:
        began = time.perf_counter()
        world = read_world(args.world)
        print(f"read {args.world}: {world.total_rows():,} rows in "
              f"{time.perf_counter() - began:.2f} s")
        measure("world", world)
        return
    began = time.perf_counter()
    world = synthetic_world(args.firms, args.bad)
    print(f"built {args.firms:,} firms, {world.total_rows():,} rows in "
          f"{time.perf_counter() - began:.1f} s")
    measure("typed (Parquet)", world)
    measure("text (CSV)", as_text(world))


if __name__ == "__main__":
    main()

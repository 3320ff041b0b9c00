"""Our red flags vs Cardinal on randomly mutated copies of the OCDS fixtures.

    .venv/bin/python bench/bench_cardinal_mutations.py [--files 200] [--seed 1]

Each file is one fixture (ours in tests/fixtures/ocds_cardinal/, Cardinal's own
tests/fixtures/indicators/ from its cached source) with about half of its releases changed by
1–4 random edits each: a value replaced (null, 0, a string, an empty list / object, a status,
a date, a currency ...), a key deleted, a list entry duplicated or a number scaled. Both tools
screen every file with all indicators at their defaults; the script prints how many files and
(file, indicator) pairs agree, with the documented collapsed-fence difference left out exactly
as in tests/screens/test_cardinal_conformance.py. It asserts nothing.
"""

from __future__ import annotations

import argparse
import collections
import copy
import random
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

from riskgraph.graph.config import PROJECT_ROOT
from riskgraph.graph.runtime import cardinal
from riskgraph.models.screens.redflag_ocds import read_releases
from riskgraph.models.screens.redflags import per_indicator, screen_releases

VALUES: list[Any] = [None, 0, 0.0, -1, 1, 2.5, "x", [], {}, True, False, "valid",
                     "disqualified", "active", "pending", "cancelled", "unsuccessful",
                     "invited", "withdrawn", "open", "selective", "2019-01-01T00:00:00Z",
                     "2030-01-01T00:00:00+08:00", "CNY", "USD", 1e300, "t1", "t2"]


def _paths(value: Any, at: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield at
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, (*at, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _paths(v, (*at, i))


def mutate(release: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    out = copy.deepcopy(release)
    for _ in range(rng.randint(1, 4)):
        paths = [p for p in _paths(out) if p]
        if not paths:
            break
        path = rng.choice(paths)
        parent: Any = out
        for step in path[:-1]:
            parent = parent[step]
        last, roll = path[-1], rng.random()
        if roll < 0.15 and isinstance(parent, dict):
            del parent[last]
        elif roll < 0.25 and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[last]))
        elif roll < 0.35 and type(parent[last]) in (int, float):
            parent[last] = parent[last] * rng.choice([0, 1, 2, -1, 1.0000001])
        else:
            parent[last] = rng.choice(VALUES)
    return out


def sources() -> list[Path]:
    ours = sorted((PROJECT_ROOT / "tests" / "fixtures" / "ocds_cardinal").glob("*.jsonl"))
    theirs = sorted((cardinal.CACHE / f"{cardinal.PACKAGE}-{cardinal.VERSION}" / "tests"
                     / "fixtures" / "indicators").glob("*.jsonl"))
    return ours + theirs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    sys.path.insert(0, str(PROJECT_ROOT))  # the conformance test's comparison, as it is
    from tests.screens.test_cardinal_conformance import agreement

    exe = cardinal.install()
    rng = random.Random(args.seed)
    fixtures = [[orjson.loads(line) for line in path.read_bytes().splitlines() if line.strip()]
                for path in sources()]
    differ: collections.Counter[str] = collections.Counter()
    flagged = files_differing = 0
    with tempfile.TemporaryDirectory() as tmp:
        for n in range(args.files):
            releases = fixtures[n % len(fixtures)]
            path = Path(tmp) / f"{n:05d}.jsonl"
            path.write_bytes(b"".join(
                orjson.dumps(mutate(r, rng) if rng.random() < 0.5 else r) + b"\n"
                for r in releases))
            report = screen_releases(read_releases(path))
            flagged += len(report.flags)
            codes = agreement(report, per_indicator(cardinal.run_indicators(path, binary=exe)))
            differ.update(codes)
            files_differing += bool(codes)
    print(f"mutated files: {args.files} (from {len(fixtures)} fixtures, seed {args.seed}); "
          f"our flags: {flagged:,}")
    print(f"files where an indicator differs from Cardinal: {files_differing}"
          + (f" ({dict(differ)})" if differ else ""))


if __name__ == "__main__":
    main()

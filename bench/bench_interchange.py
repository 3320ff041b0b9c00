"""Every real interchange file through its importer: objects in, mapped, rejected (by reason).

    .venv/bin/python bench/bench_interchange.py [--data ../shared/data] [--reasons 3]

Reads every file of ``interchange/ocds`` (OCDS importer), ``interchange/ftm`` (FtM importer)
and the KEK register's FtM mapping (``interchange/ftm/fm_kek_*``), then validates the world.
Prints per file: input objects seen, mapped, rejected, objects neither mapped nor rejected
(must be 0), rows validation refused, whether a traceback happened, the time, and the most
frequent rejection reasons; then the totals. It asserts nothing.
"""

from __future__ import annotations

import argparse
import re
import time
import traceback
from collections import Counter
from pathlib import Path

from riskgraph.graph.config import PROJECT_ROOT
from riskgraph.graph.importers.ftm import import_ftm
from riskgraph.graph.importers.ocds import import_ocds
from riskgraph.graph.validation import validate_world


def _reason(text: str) -> str:
    """A rejection reason with its specifics (ids, values, positions) blanked, to count it."""
    text = re.sub(r"'[^']*'|\"[^\"]*\"", "'…'", text)
    return re.sub(r"\d+", "N", text)[:90]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default=str(PROJECT_ROOT.parent / "shared" / "data"))
    parser.add_argument("--reasons", type=int, default=2)
    args = parser.parse_args()
    root = Path(args.data) / "interchange"
    files = [(p, import_ocds) for p in sorted((root / "ocds").iterdir())]
    files += [(p, import_ftm) for p in sorted((root / "ftm").iterdir())]
    totals: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    print(f"{'file':<58}{'in':>7}{'mapped':>8}{'rejected':>9}{'lost':>6}{'refused':>8}"
          f"{'tb':>4}{'ms':>7}")
    for path, importer in files:
        start = time.perf_counter()
        try:
            result = importer(path)
            refused = len(validate_world(result.world).rejects)
            crashed = 0
        except Exception:  # a traceback is what this bench counts
            traceback.print_exc()
            crashed, refused = 1, 0
            result = None
        ms = (time.perf_counter() - start) * 1000
        seen = sum(result.counts.values()) if result else 0
        mapped = sum(result.mapped.values()) if result else 0
        rejected = sum(result.rejected.values()) if result else 0
        lost = sum(result.unaccounted().values()) if result else 0
        mine = Counter(_reason(r[2]) for r in result.rejects) if result else Counter()
        reasons.update(mine)
        totals.update(files=1, seen=seen, mapped=mapped, rejected=rejected, lost=lost,
                      refused=refused, crashed=crashed)
        print(f"{path.name[:57]:<58}{seen:>7,}{mapped:>8,}{rejected:>9,}{lost:>6}{refused:>8,}"
              f"{crashed:>4}{ms:>7.0f}")
        for text, count in mine.most_common(args.reasons):
            print(f"{'':<6}{count:>6,} × {text}")
    print(f"\n{totals['files']} files: {totals['seen']:,} objects in, {totals['mapped']:,} mapped, "
          f"{totals['rejected']:,} rejected, {totals['lost']} neither, {totals['refused']:,} rows "
          f"refused by validation, {totals['crashed']} tracebacks")
    print("most frequent rejection reasons:")
    for text, count in reasons.most_common(12):
        print(f"{count:>8,} × {text}")


if __name__ == "__main__":
    main()

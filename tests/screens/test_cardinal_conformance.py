"""Our red flags against Cardinal itself (``ocdscardinal indicators``), per indicator.

The session fixture builds Cardinal with the project's installer (graph/runtime/cardinal.py:
pip download of the PyPI sdist + cargo install; a few minutes the first time, then cached in
.riskgraph/cardinal). The tests skip, saying why, only when it cannot be built.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from graph.errors import Unavailable
from graph.runtime import cardinal
from models.screens.redflag_ocds import read_releases
from models.screens.redflags import CARDINAL_INDICATORS, per_indicator, screen_releases

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ocds_cardinal"
FILES = sorted(FIXTURES.glob("*.jsonl"))
pytestmark = pytest.mark.timeout(3600)  # the first test may wait for the Cardinal build


@pytest.fixture(scope="session")
def cardinal_exe() -> Path:
    try:
        return cardinal.install()
    except Unavailable as exc:
        pytest.skip(f"Cardinal could not be built here: {exc}")


def same(ours: dict[tuple[str, str], float], theirs: dict[tuple[str, str], float]) -> bool:
    return ours.keys() == theirs.keys() and all(
        math.isclose(ours[k], theirs[k], rel_tol=1e-12, abs_tol=1e-12) for k in ours)


def test_fixtures_cover_every_indicator() -> None:
    flagged = set()
    for path in FILES:
        flagged |= {f.indicator for f in screen_releases(read_releases(path)).flags}
    assert flagged >= set(CARDINAL_INDICATORS)


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_each_indicator_agrees_with_cardinal(cardinal_exe: Path, path: Path) -> None:
    theirs = per_indicator(cardinal.run_indicators(path, binary=cardinal_exe))
    ours = per_indicator(screen_releases(read_releases(path)).cardinal_results())
    differing = {code: (ours[code], theirs[code]) for code in CARDINAL_INDICATORS
                 if not same(ours[code], theirs[code])}
    assert differing == {}


def test_all_fixtures_in_one_file_agree(cardinal_exe: Path, tmp_path: Path) -> None:
    """Fences over the union of the fixtures (more varied distributions) agree too."""
    combined = tmp_path / "all.jsonl"
    combined.write_text("".join(p.read_text(encoding="utf-8") for p in FILES), encoding="utf-8")
    theirs = per_indicator(cardinal.run_indicators(combined, binary=cardinal_exe))
    ours = per_indicator(screen_releases(read_releases(combined)).cardinal_results())
    assert {c for c in CARDINAL_INDICATORS if not same(ours[c], theirs[c])} == set()
    assert sum(len(v) for v in theirs.values()) > 0


def test_cardinal_fences_equal_ours(cardinal_exe: Path) -> None:
    path = FIXTURES / "r038.jsonl"
    meta = cardinal.run_indicators(path, binary=cardinal_exe)["Meta"]
    ours = screen_releases(read_releases(path)).meta
    for key, value in meta["R038"].items():  # Cardinal rounds Meta to 4 decimals
        assert ours["R038"][key] == pytest.approx(value, abs=6e-5), key

"""Our red flags against Cardinal itself (``ocdscardinal indicators``), per indicator.

The session fixture builds Cardinal with the project's installer (graph/runtime/cardinal.py:
pip download of the PyPI sdist + cargo install; a few minutes the first time, then cached in
.riskgraph/cardinal). The tests skip, saying why, only when it cannot be built.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from riskgraph.graph.errors import Unavailable
from riskgraph.graph.runtime import cardinal
from riskgraph.models.screens.redflag_flag import CARDINAL_INDICATORS
from riskgraph.models.screens.redflag_ocds import read_releases
from riskgraph.models.screens.redflag_settings import parse_settings, read_settings
from riskgraph.models.screens.redflags import (
    per_indicator,
    same_value,
    screen_releases,
)

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "ocds_cardinal"
FILES = sorted(FIXTURES.glob("*.jsonl"))
pytestmark = pytest.mark.timeout(3600)  # the first test may wait for the Cardinal build


@pytest.fixture(scope="session")
def cardinal_exe() -> Path:
    try:
        return cardinal.install()
    except Unavailable as exc:
        pytest.skip(f"Cardinal could not be built here: {exc}")


def same(ours: dict[tuple[str, str], float], theirs: dict[tuple[str, str], float]) -> bool:
    return ours.keys() == theirs.keys() and all(same_value(ours[k], theirs[k]) for k in ours)


def test_fixtures_cover_every_indicator() -> None:
    flagged = set()
    for path in FILES:
        flagged |= {f.indicator for f in screen_releases(read_releases(path)).flags}
    assert flagged >= set(CARDINAL_INDICATORS)


def collapsed(report: Any) -> set[str]:
    """R024 / R048 whose fence collapsed (Q1 = Q3): the one documented difference from
    Cardinal (docs/screens-cardinal.md), where ours compares strictly and Cardinal flags every
    tie at the fence."""
    return {code for code in ("R024", "R048")
            if "q1" in report.meta.get(code, {})
            and report.meta[code]["q1"] == report.meta[code]["q3"]}


def agreement(report: Any, theirs: dict[str, Any]) -> dict[str, Any]:
    """Indicators where ours and Cardinal differ, beyond the documented difference (where ours
    must then flag nothing tied at the collapsed fence)."""
    ours = per_indicator(report.cardinal_results())
    skip = collapsed(report)
    for code in skip:
        fence = report.meta[code].get("lower_fence", report.meta[code].get("upper_fence"))
        assert all(f.value != fence for f in report.flags if f.indicator == code), code
    return {code: (ours[code], theirs[code]) for code in CARDINAL_INDICATORS
            if code not in skip and not same(ours[code], theirs[code])}


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_each_indicator_agrees_with_cardinal(cardinal_exe: Path, path: Path) -> None:
    theirs = per_indicator(cardinal.run_indicators(path, binary=cardinal_exe))
    assert agreement(screen_releases(read_releases(path)), theirs) == {}


def test_all_fixtures_in_one_file_agree(cardinal_exe: Path, tmp_path: Path) -> None:
    """Fences over the union of the fixtures (more varied distributions) agree too."""
    combined = tmp_path / "all.jsonl"
    combined.write_text("".join(p.read_text(encoding="utf-8") for p in FILES), encoding="utf-8")
    theirs = per_indicator(cardinal.run_indicators(combined, binary=cardinal_exe))
    assert agreement(screen_releases(read_releases(combined)), theirs) == {}
    assert sum(len(v) for v in theirs.values()) > 0


def test_cardinal_fences_equal_ours(cardinal_exe: Path) -> None:
    path = FIXTURES / "r038.jsonl"
    meta = cardinal.run_indicators(path, binary=cardinal_exe)["Meta"]
    ours = screen_releases(read_releases(path)).meta
    for key, value in meta["R038"].items():  # Cardinal rounds Meta to 4 decimals
        assert ours["R038"][key] == pytest.approx(value, abs=6e-5), key


# Cardinal's own fixtures (tests/fixtures/indicators in its source), each with the settings its
# test suite gives it (build.rs: the file name names the indicator and its settings; every
# fixture also runs with no_price_comparison_procurement_methods = NPC and exclusions
# procurement_method_details = EXC).


@pytest.fixture(scope="session")
def cardinal_fixtures() -> list[Path]:
    try:
        folder = cardinal.source_dir() / "tests" / "fixtures" / "indicators"
    except Unavailable as exc:
        pytest.skip(f"Cardinal's source could not be fetched here: {exc}")
    return sorted(folder.glob("*.jsonl"))


def fixture_settings(name: str) -> str:
    """The settings.ini text equivalent to the Settings Cardinal's build.rs writes for
    ``name`` (e.g. ``R003-procurement_method_details-x-5-y-10``)."""
    ident, *parts = name.replace("+", "|").split("-")
    head = "no_price_comparison_procurement_methods = NPC\n[exclusions]\n" \
           "procurement_method_details = EXC\n"
    if len(parts) < 2:
        return f"{head}[{ident}]\n"
    if len(parts) == 2:
        return f"{head}[{ident}]\n{parts[0]} = {parts[1]}\n"
    pairs = "".join(f"{k} = {v}\n" for k, v in zip(parts[1::2], parts[2::2], strict=True))
    return f"{head}[{ident}]\n[{ident}.{parts[0]}]\n{pairs}"


def test_cardinal_fixtures_with_their_settings_agree_with_its_expected_results(
        cardinal_fixtures: list[Path]) -> None:
    assert len(cardinal_fixtures) >= 15
    differing = {}
    for path in cardinal_fixtures:
        settings = parse_settings(fixture_settings(path.stem), path.stem)
        ours = per_indicator(screen_releases(read_releases(path), settings).cardinal_results())
        theirs = per_indicator(json.loads(path.with_suffix(".expected").read_text()))
        bad = [c for c in CARDINAL_INDICATORS if not same(ours[c], theirs[c])]
        if bad:
            differing[path.stem] = {c: (ours[c], theirs[c]) for c in bad}
    assert differing == {}


def test_cardinal_fixtures_with_their_settings_agree_with_cardinal_run(
        cardinal_exe: Path, cardinal_fixtures: list[Path], tmp_path: Path) -> None:
    differing = {}
    for path in cardinal_fixtures:
        ini = tmp_path / f"{path.stem}.ini"
        ini.write_text(fixture_settings(path.stem), encoding="utf-8")
        theirs = per_indicator(cardinal.run_indicators(path, ini, binary=cardinal_exe))
        ours = per_indicator(screen_releases(read_releases(path), read_settings(ini))
                             .cardinal_results())
        bad = [c for c in CARDINAL_INDICATORS if not same(ours[c], theirs[c])]
        if bad:
            differing[path.stem] = {c: (ours[c], theirs[c]) for c in bad}
    assert differing == {}


def test_a_winning_bid_of_zero_is_screened_as_cardinal_does(cardinal_exe: Path,
                                                           tmp_path: Path) -> None:
    """A zero winning amount gives an infinite ratio in Cardinal (f64), not an error; Cardinal
    writes it as null, and so do we."""
    source = (FIXTURES / "ratios.jsonl").read_text(encoding="utf-8").splitlines()
    zero = json.loads(source[0])
    for bid in zero["bids"]["details"]:
        if bid.get("status") == "valid":
            bid["value"]["amount"] = 0
            break
    path = tmp_path / "zero.jsonl"
    path.write_text("\n".join([json.dumps(zero), *source[1:]]) + "\n", encoding="utf-8")
    theirs = per_indicator(cardinal.run_indicators(path, binary=cardinal_exe))
    report = screen_releases(read_releases(path))
    ours = per_indicator(report.cardinal_results())
    assert {c for c in CARDINAL_INDICATORS if not same(ours[c], theirs[c])} == set()
    json.loads(json.dumps(report.to_dict(), allow_nan=False))

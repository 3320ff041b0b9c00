"""Every slide of the Browser guide on a generated world, in a real headless Chromium: the
examples the ``:param`` lines pick draw readable pictures (at most 40 nodes, more than one),
and each slide's result is kept as a screenshot in test-artifacts/ to look at."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from neo4j import Driver

from riskgraph.graph.browser_pack import saved_queries
from riskgraph.graph.config import Settings
from riskgraph.graph.driver import credentials
from riskgraph.graph.loader import load_world
from riskgraph.graph.maintenance import clear_data
from riskgraph.seed.world import generate_world
from tests.browser.test_browser_guide import (
    WAIT_MS,
    _next_slide,
    _run_block,
    _run_editor_text,
    _set_params,
    example_params,
    raise_frame_limit,
)

pytestmark = [pytest.mark.neo4j, pytest.mark.browser, pytest.mark.slow]

FIRMS, SEED = 2000, 7
MAX_NODES = 40
TABLES = {"find_firm": 25, "credit_records": 50}
"""Slides whose query returns rows, not a graph: the most rows they may show."""


@pytest.fixture(scope="module")
def generated_world(driver: Driver, settings: Settings,
                    tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    out = tmp_path_factory.mktemp("guide-world")
    generate_world(FIRMS, SEED, out, progress=False)
    clear_data(driver, settings.neo4j_database)
    load_world(driver, out, database=settings.neo4j_database, progress=False)
    yield out
    clear_data(driver, settings.neo4j_database)


def _connect_with_the_form_default(page: Any, settings: Settings) -> None:
    """Connect as a person would: leave the scheme Browser's form proposes (``neo4j://``)."""
    user, password = credentials(settings)
    page.goto(f"{settings.http_url}/browser/", wait_until="networkidle")
    page.get_by_test_id("boltaddress").wait_for(timeout=WAIT_MS)
    scheme = page.get_by_test_id("bolt-scheme-select").input_value()
    assert scheme == "neo4j://", f"Browser's form now proposes {scheme}: update docs/browser.md"
    page.get_by_test_id("boltaddress").fill(settings.bolt_uri.split("://", 1)[1])
    page.get_by_test_id("username").fill(user)
    page.get_by_test_id("password").fill(password)
    page.get_by_test_id("connect").click()
    page.get_by_text("You are connected as user").first.wait_for(timeout=WAIT_MS)


def _drawn_nodes(page: Any, frame: Any) -> int:
    """Nodes Browser drew in the result frame's graph view (0 if it shows no graph)."""
    drawing = frame.locator("svg").filter(has=page.locator("g.node")).first
    drawing.wait_for(timeout=WAIT_MS)
    page.wait_for_timeout(1500)  # let the force layout settle for the screenshot
    return int(frame.locator("svg g.node").count())


def test_every_slide_draws_a_readable_example(
    chromium: Any, neo4j_server: Settings, generated_world: Path, guide_server: str,
    artifacts_dir: Path, driver: Driver,
) -> None:
    if not neo4j_server.uses_local_server:
        pytest.skip("NEO4J_URI is set: Browser is served by that server, not ours")
    queries = saved_queries()
    page = chromium.new_page(viewport={"width": 1400, "height": 1000})
    counts: dict[str, int] = {}
    try:
        _connect_with_the_form_default(page, neo4j_server)
        raise_frame_limit(page)
        _run_editor_text(page, f":play {guide_server}/browser-guide")
        page.get_by_text("An investigator's tour").wait_for(timeout=WAIT_MS)
        page.screenshot(path=str(artifacts_dir / "guide-slide-0-welcome.png"))
        _run_block(page, ":style ").get_by_text("node.Company").wait_for(timeout=WAIT_MS)
        for step, q in enumerate(queries, start=1):
            _next_slide(page, f"{step}/{len(queries)}. {q.title}")
            if None in example_params(driver, q).values():
                counts[q.name] = -1  # this small world has no such pattern (e.g. no cartel)
                continue
            _set_params(page, driver, q)
            frame = _run_block(page, q.body.split("\n", 1)[0][:40])
            shot = artifacts_dir / f"guide-slide-{step}-{q.name}.png"
            if q.name in TABLES:
                rows = frame.locator("table tbody tr")
                rows.first.wait_for(timeout=WAIT_MS)
                counts[q.name] = rows.count()
                frame.screenshot(path=str(shot))
                assert 1 <= counts[q.name] <= TABLES[q.name], (q.name, counts[q.name])
                continue
            counts[q.name] = _drawn_nodes(page, frame)
            frame.scroll_into_view_if_needed()
            frame.screenshot(path=str(shot))
            assert 1 < counts[q.name] <= MAX_NODES, (
                f"slide {step} ({q.name}) draws {counts[q.name]} nodes; the example should be "
                f"a readable neighbourhood of at most {MAX_NODES}")
    finally:
        page.screenshot(path=str(artifacts_dir / "guide-slides-last.png"))
        page.close()
        (artifacts_dir / "guide-slide-counts.txt").write_text(
            "\n".join(f"{k}: {v}" for k, v in counts.items()) + "\n", encoding="utf-8")
    assert set(counts) == {q.name for q in queries}
    assert sum(n > 0 for n in counts.values()) >= len(queries) - 2, counts


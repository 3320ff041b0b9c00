"""The Browser guide in a real headless Chromium: Neo4j Browser from the local server connects
with the project's credentials, plays the guide, loads the style and runs guide queries."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any

import pytest
from neo4j import Driver
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from riskgraph.graph.browser_links import browser_link
from riskgraph.graph.browser_pack import GUIDE_ORDER, SavedQuery, saved_query
from riskgraph.graph.config import Settings
from riskgraph.graph.driver import credentials
from tests.browser.conftest import TinyWorld

pytestmark = [pytest.mark.neo4j, pytest.mark.browser]
WAIT_MS = 30_000


def _connect(page: Any, settings: Settings) -> None:
    user, password = credentials(settings)
    page.goto(f"{settings.http_url}/browser/", wait_until="networkidle")
    assert page.title() == "Neo4j Browser"
    page.get_by_test_id("boltaddress").wait_for(timeout=WAIT_MS)
    page.get_by_test_id("bolt-scheme-select").select_option("bolt://")
    page.get_by_test_id("boltaddress").fill(settings.bolt_uri.removeprefix("bolt://"))
    page.get_by_test_id("username").fill(user)
    page.get_by_test_id("password").fill(password)
    page.get_by_test_id("connect").click()
    page.get_by_text("You are connected as user").first.wait_for(timeout=WAIT_MS)


def _run_editor(page: Any) -> Any:
    """Run what is in the editor; return the new (topmost) result frame.

    On a loaded machine Browser now and then drops a click on Run (the command stays in the
    editor and no frame appears): the click is repeated only while the editor still holds it."""
    frames = page.get_by_test_id("frame")
    editor = page.get_by_test_id("activeEditor")
    before = frames.count()
    command = editor.inner_text().strip()[:20]
    for _ in range(3):
        page.get_by_test_id("editor-Run").first.click()
        try:
            page.wait_for_function(
                "n => document.querySelectorAll('[data-testid=\"frame\"]').length > n",
                arg=before, timeout=WAIT_MS // 3)
            return frames.first
        except PlaywrightTimeout:
            if not command or command not in editor.inner_text():
                break  # it ran: wait for its frame below
    page.wait_for_function(
        "n => document.querySelectorAll('[data-testid=\"frame\"]').length > n", arg=before,
        timeout=WAIT_MS)
    return frames.first


def _run_block(page: Any, text_start: str) -> Any:
    """Click the guide's runnable block starting with ``text_start`` (Browser copies it into the
    editor) and run it."""
    block = page.locator("pre.runnable:visible").filter(has_text=text_start).first
    block.click()
    page.get_by_test_id("activeEditor").filter(has_text=text_start[:20]).wait_for(timeout=WAIT_MS)
    return _run_editor(page)


def example_params(driver: Driver, q: SavedQuery) -> dict[str, Any]:
    """The values the slide's ``:param`` lines pick, evaluated as Browser does (on the server)."""
    values = {}
    for name, command in zip(q.param_names, q.param_commands, strict=True):
        records, _, _ = driver.execute_query(f"RETURN {command.split('=>', 1)[1]} AS value")
        values[name] = records[0]["value"]
    return values


def _set_params(page: Any, driver: Driver, q: SavedQuery) -> dict[str, Any]:
    """Run the slide's ``:param`` block and wait until Browser holds the example's values.

    Browser shows the frame of a ``:param name => expression`` at once and evaluates the
    expression on the server afterwards; a query run straight after it still sees the previous
    value (the cartel slide once "drew nothing" this way: it ran with the people slide's firm)."""
    expected = example_params(driver, q)
    _run_block(page, f":param {q.param_names[0]}")
    deadline = time.monotonic() + WAIT_MS / 1000
    while True:
        raw = _run_editor_text(page, ":params").get_by_test_id("rawParamData")
        held = json.loads(raw.inner_text(timeout=WAIT_MS))
        if all(held.get(k) == v for k, v in expected.items()):
            return expected
        assert time.monotonic() < deadline, f"Browser holds {held}, the slide sets {expected}"
        page.wait_for_timeout(500)


def _run_editor_text(page: Any, text: str) -> Any:
    """Type ``text`` into the editor and run it; return its result frame."""
    page.get_by_test_id("activeEditor").click()
    page.keyboard.insert_text(text)
    return _run_editor(page)


def raise_frame_limit(page: Any) -> None:
    """Browser keeps 15 result frames by default; a tour makes more (each new frame must appear
    for _run_editor to see it)."""
    _run_editor_text(page, ":config maxFrames: 100")


def _next_slide(page: Any, heading: str) -> None:
    page.get_by_test_id("nextSlide").first.click()
    page.get_by_role("heading", name=heading).wait_for(timeout=WAIT_MS)


def test_guide_runs_in_a_real_browser(
    chromium: Any, neo4j_server: Settings, tiny_world: TinyWorld, guide_server: str,
    artifacts_dir: Path, driver: Driver,
) -> None:
    if not neo4j_server.uses_local_server:
        pytest.skip("NEO4J_URI is set: Browser is served by that server, not ours")
    page = chromium.new_page(viewport={"width": 1400, "height": 1000})
    try:
        _connect(page, neo4j_server)
        raise_frame_limit(page)
        _run_editor_text(page, f":play {guide_server}/browser-guide")
        page.get_by_text("An investigator's tour").wait_for(timeout=WAIT_MS)
        style = _run_block(page, ":style ")
        style.get_by_text("node.Company").wait_for(timeout=WAIT_MS)

        find = saved_query("find_firm")
        _next_slide(page, f"1/8. {find.title}")
        search = _set_params(page, driver, find)["search"]
        expected = {f["uscc"] for f in tiny_world.firms.values() if search in f["name"]}
        others = {f["uscc"] for f in tiny_world.firms.values()} - expected
        assert expected and others, f"the example search {search!r} should split the firms"
        result = _run_block(page, "MATCH (c:Company)")
        for uscc in expected:
            result.get_by_text(uscc).first.wait_for(timeout=WAIT_MS)
        text = result.inner_text()
        assert not [u for u in others if u in text], "the search matched firms it should not"
        result.scroll_into_view_if_needed()
        result.screenshot(path=str(artifacts_dir / "neo4j-browser-guide-find-firm.png"))

        people = saved_query("firm_people")
        _next_slide(page, f"2/8. {people.title}")
        assert _set_params(page, driver, people)["uscc"] == tiny_world.uscc("N")
        graph = _run_block(page, "MATCH here")
        drawing = graph.locator("svg").filter(has=page.locator("g.node")).first
        for person in ("Zhang Probe",):  # the median example N's legal representative
            # Browser wraps long captions over several <text> lines inside the circle.
            pattern = re.compile(r"\s*".join(map(re.escape, person.split())))
            expect(drawing).to_contain_text(pattern, timeout=WAIT_MS)
        page.screenshot(path=str(artifacts_dir / "neo4j-browser-guide-people.png"))

        cartel = saved_query("bid_cartel")
        for step in range(3, 8):
            heading = saved_query(GUIDE_ORDER[step - 1]).title
            _next_slide(page, f"{step}/8. {heading}")
        assert cartel.title == heading
        # Two :param lines run as a script; the query below fails unless both were set, and
        # draws nothing unless uscc moved on from the people slide's N to X.
        assert _set_params(page, driver, cartel)["uscc"] == tiny_world.uscc("X")
        graph = _run_block(page, "MATCH (c:Company {uscc: $uscc})-[:SUBMITTED]")
        drawing = graph.locator("svg").filter(has=page.locator("g.node")).first
        expect(drawing).to_contain_text(re.compile(r"Li\s*Probe"), timeout=WAIT_MS)
        page.screenshot(path=str(artifacts_dir / "neo4j-browser-guide-cartel.png"))
    finally:
        page.screenshot(path=str(artifacts_dir / "neo4j-browser-guide-last.png"))
        page.close()


def test_evidence_link_opens_browser_on_the_query(
    chromium: Any, neo4j_server: Settings, tiny_world: TinyWorld, guide_server: str,
    artifacts_dir: Path,
) -> None:
    if not neo4j_server.uses_local_server:
        pytest.skip("NEO4J_URI is set: Browser is served by that server, not ours")
    x = tiny_world.firms["X"]
    url = browser_link("explain/get_company", {"uscc": x["uscc"]}, settings=neo4j_server,
                       guide_url=guide_server)
    page = chromium.new_page(viewport={"width": 1400, "height": 1000})
    try:
        page.goto(url, wait_until="networkidle")
        address = page.get_by_test_id("boltaddress")
        address.wait_for(timeout=WAIT_MS)
        assert address.input_value() == neo4j_server.bolt_uri.removeprefix("bolt://")
        user, password = credentials(neo4j_server)
        page.get_by_test_id("username").fill(user)
        page.get_by_test_id("password").fill(password)
        page.get_by_test_id("connect").click()
        page.get_by_text("You are connected as user").first.wait_for(timeout=WAIT_MS)
        page.get_by_role("heading", name="Evidence").wait_for(timeout=WAIT_MS)
        _run_block(page, ":params ")
        result = _run_block(page, "MATCH (c:Company {uscc: $uscc})")
        expect(result).to_contain_text(str(x["name"]), timeout=WAIT_MS)
        result.screenshot(path=str(artifacts_dir / "neo4j-browser-evidence-link.png"))
    finally:
        page.screenshot(path=str(artifacts_dir / "neo4j-browser-evidence-last.png"))
        page.close()

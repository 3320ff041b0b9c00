"""Neo4j Browser, served by the local server, in a real headless Chromium."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from riskgraph.graph.config import Settings
from riskgraph.graph.driver import credentials

pytestmark = [pytest.mark.neo4j, pytest.mark.browser]

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def _chromium() -> str | None:
    return next(filter(None, (shutil.which(n) for n in ("chromium", "chromium-browser"))), None)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = _chromium()
    if executable is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium is missing under CI; .ci/run installs Debian's chromium package")
        pytest.skip("Chromium not installed (apt-get install chromium); under CI this test runs")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=executable, headless=True,
                                      args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()


def test_browser_renders_connects_and_runs_a_query(
    browser: Any, neo4j_server: Settings, artifacts_dir: Path
) -> None:
    if not neo4j_server.uses_local_server:
        pytest.skip("NEO4J_URI is set: Browser is served by that server, not ours")
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(f"{neo4j_server.http_url}/browser/", wait_until="networkidle")
    assert page.title() == "Neo4j Browser"
    page.get_by_test_id("boltaddress").wait_for(timeout=30_000)

    user, password = credentials(neo4j_server)
    page.get_by_test_id("bolt-scheme-select").select_option("bolt://")
    page.get_by_test_id("boltaddress").fill(neo4j_server.bolt_uri.removeprefix("bolt://"))
    page.get_by_test_id("username").fill(user)
    page.get_by_test_id("password").fill(password)
    page.get_by_test_id("connect").click()
    page.get_by_text("You are connected as user").first.wait_for(timeout=30_000)

    editor = page.get_by_test_id("activeEditor")
    editor.click()
    page.keyboard.type("RETURN 'riskgraph-probe' AS probe")
    page.get_by_test_id("editor-Run").first.click()
    page.get_by_text('"riskgraph-probe"').first.wait_for(timeout=30_000)
    page.screenshot(path=str(artifacts_dir / "neo4j-browser.png"))

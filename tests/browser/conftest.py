"""A tiny hand-made registry graph in which every saved Browser query has something to show.

Firms X and Y bid against each other in two tenders and share director Li (a cartel); X is a
subsidiary of P and buys from S, which buys from T; O was blacklisted, then dissolved, and its
legal representative Zhang runs N, founded later at O's address (a phoenix).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI
from neo4j import Driver

from riskgraph.app.browser_guide import router
from riskgraph.graph.config import Settings
from riskgraph.graph.driver import write

BATCH = "browser-pack-test"


@dataclass(frozen=True)
class TinyWorld:
    firms: dict[str, dict[str, Any]]
    people: dict[str, str]

    def uscc(self, key: str) -> str:
        return str(self.firms[key]["uscc"])


def _firm(uscc: str, name: str, **extra: Any) -> dict[str, Any]:
    props = {"uscc": uscc, "name": name, "status": "active", "region_code": "330100",
             "industry_code": "F51", "founded_on": dt.date(2015, 3, 1)}
    return props | extra


FIRMS = {
    "X": _firm("91330100PROBEX0001", "杭州联合探针科技有限公司"),
    "Y": _firm("91330200PROBEY0002", "宁波海曙贸易有限公司"),
    "P": _firm("91330100PROBEP0003", "浙江母公司集团有限公司"),
    "S": _firm("91330100PROBES0004", "杭州一级供应有限公司"),
    "T": _firm("91330100PROBET0005", "杭州二级供应有限公司"),
    "O": _firm("91330100PROBEO0006", "杭州旧壳实业有限公司", status="dissolved",
               dissolved_on=dt.date(2023, 1, 10)),
    "N": _firm("91330100PROBEN0007", "杭州新生实业有限公司", founded_on=dt.date(2023, 3, 1)),
}
PEOPLE = {"li": "Li Probe", "zhang": "Zhang Probe", "wang": "Wang Probe"}


def _rel(src: str, dst: str, **props: Any) -> dict[str, Any]:
    return {"src": src, "dst": dst, "rel_key": f"{src}>{dst}", "props": props}


def _load(driver: Driver, database: str) -> None:
    def merge(name: str, rows: list[dict[str, Any]]) -> None:
        merged = write(driver, f"load/{name}", database, rows=rows, batch=BATCH)
        assert merged[0]["merged"] == len(rows), name

    u = {k: str(v["uscc"]) for k, v in FIRMS.items()}
    merge("merge_company", [{"key": f["uscc"], "props": f} for f in FIRMS.values()])
    merge("merge_person", [{"key": k, "props": {"person_id": k, "name": v}}
                           for k, v in PEOPLE.items()])
    merge("merge_address", [{"key": "addr-1", "props": {"address_id": "addr-1",
                                                        "text": "杭州市西湖区文三路1号"}}])
    merge("merge_director_of", [_rel("li", u["X"]), _rel("li", u["Y"])])
    merge("merge_legal_representative_of", [_rel("zhang", u["O"]), _rel("zhang", u["N"]),
                                            _rel("wang", u["X"])])
    merge("merge_subsidiary_of", [_rel(u["X"], u["P"])])
    merge("merge_supplies", [_rel(u["S"], u["X"], annual_value=1e6),
                             _rel(u["T"], u["S"], annual_value=5e5)])
    merge("merge_registered_at", [_rel(u["O"], "addr-1"), _rel(u["N"], "addr-1")])
    record = {"record_id": "rec-1", "category": "blacklist",
              "kind": "serious_dishonest_enterprise_list", "agency": "Hangzhou AMR",
              "issued_on": dt.date(2022, 11, 1), "polarity": "negative", "severity": "serious",
              "disclosure": "public"}
    merge("merge_credit_record", [{"key": "rec-1", "props": record,
                                   "category_label": "Blacklist"}])
    merge("merge_has_record_from_company", [_rel(u["O"], "rec-1")])
    tenders, bids, submitted, for_tender = [], [], [], []
    for t in (1, 2):
        tid = f"tender-{t}"
        tenders.append({"key": tid, "props": {
            "tender_id": tid, "title": f"Road works {t}", "buyer": "Hangzhou Transport",
            "region_code": "330100", "category": "works", "published_on": dt.date(2022, t, 1),
            "deadline": dt.date(2022, t, 20), "procedure": "open"}})
        for firm, amount, status in (("X", 100.0 + t, "won"), ("Y", 108.0 + t, "lost")):
            bid = f"bid-{t}-{firm}"
            bids.append({"key": bid, "props": {
                "bid_id": bid, "tender_id": tid, "amount": amount, "status": status,
                "submitted_at": dt.datetime(2022, t, 10, 9, 0, tzinfo=dt.UTC)}})
            submitted.append(_rel(u[firm], bid, role="sole"))
            for_tender.append(_rel(bid, tid))
    merge("merge_tender", tenders)
    merge("merge_bid", bids)
    merge("merge_submitted", submitted)
    merge("merge_for_tender", for_tender)


@pytest.fixture
def tiny_world(clean_graph: Driver, settings: Settings) -> TinyWorld:
    _load(clean_graph, settings.neo4j_database)
    return TinyWorld(FIRMS, PEOPLE)


# -- a real browser and a guide server ------------------------------------------------------------

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def chromium_path() -> str | None:
    """Debian's chromium (``apt-get install chromium``); Playwright downloads nothing."""
    found = (shutil.which(n) for n in ("chromium", "chromium-browser"))
    return next(filter(None, found), None)


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """Headless Chromium; module-scoped because one process can run only one sync Playwright
    at a time (tests/foundation/test_browser.py starts its own)."""
    executable = chromium_path()
    if executable is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium is missing under CI; .ci/run installs Debian's chromium package")
        pytest.skip("Chromium not installed (apt-get install chromium); under CI this test runs")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, headless=True,
                                     args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="session")
def guide_server() -> Iterator[str]:
    """The guide routes (app/browser_guide.py) on an ephemeral loopback port; yields the base
    URL with host ``localhost``, which Browser's remote-content allowlist admits by default."""
    app = FastAPI()
    app.include_router(router)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the guide server did not start")
        time.sleep(0.05)
    try:
        yield f"http://localhost:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)

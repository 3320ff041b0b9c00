"""A small hand-built graph for the GraphQL API tests, loaded once into the real Neo4j, and
clients that call the schema as a chosen principal.

The world (letters are firms, P* people, R* records):

* Ownership: P1 holds 80% of A and B 20% of A; A holds 60% of B and P2 40% of B (a cycle).
* People: P1 is legal representative of A and D; P3 was legal representative of E (blacklisted
  2021 by a public record, dissolved 2022) and is now of F (a phoenix candidate for everyone);
  P4 was of H (blacklisted by a *restricted* record, dissolved) and is now of G (a candidate only
  for callers who may see that record).
* C supplies A and is registered at A's address; D supplies I; A and D bid in tender T1.
* A's records: R1 public penalty, R2 agency-shared tax arrears, R3 restricted penalty of agency
  SAMR-FJ, R7 public inspection. P1's: R4 public, R5 restricted (court-X). D's: R6 agency-shared.
* 60 filler firms X00..X59 (region 110000), each with a legal representative and two records
  (one public, one agency-shared).
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from neo4j import Driver
from strawberry.fastapi import GraphQLRouter

from riskgraph.app.context import AppState, Context
from riskgraph.app.graphql.schema import schema
from riskgraph.app.main import create_app
from riskgraph.app.security.principal import Principal, Role
from riskgraph.graph.config import Settings, get_settings
from riskgraph.graph.loader import load_world
from riskgraph.graph.maintenance import clear_data
from riskgraph.graph.uscc import make_uscc

PUBLIC = Principal()
INVESTIGATOR = Principal(role=Role.INVESTIGATOR, name="inv")
RESTRICTED = Principal(role=Role.RESTRICTED, name="fj", agencies=("SAMR-FJ",))
ADMIN = Principal(role=Role.ADMIN, name="admin")
FILLERS = 60


def uscc(tag: str) -> str:
    """A valid USCC per firm tag (A, B, ..., X07)."""
    digits = "".join(f"{ord(ch):03d}" for ch in tag)[-7:].rjust(7, "0")
    return make_uscc("9", "1", "350100", f"MA{digits}")


FIRMS = {"A": "Alpha Holdings", "B": "Beta Trading", "C": "Gamma Supplies", "D": "Delta Works",
         "E": "Echo Dissolved", "F": "Foxtrot New", "G": "Golf Services",
         "H": "Hotel Closed", "I": "India Far"}


def _write(path: Path, rows: list[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def _company(tag: str, name: str, region: str = "350100", industry: str = "C35",
             dissolved: str = "", founded: str = "2015-01-01") -> dict[str, Any]:
    return {"uscc": uscc(tag), "name": name, "region_code": region, "industry_code": industry,
            "founded_on": founded, "dissolved_on": dissolved,
            "status": "dissolved" if dissolved else "active", "registered_capital": "1000000",
            "employees": "10", "ownership_type": "private", "listed": "false"}


def _record(rid: str, category: str, kind: str, agency: str, issued: str, polarity: str,
            disclosure: str, **extra: str) -> dict[str, Any]:
    row = {"record_id": rid, "category": category, "kind": kind, "agency": agency,
           "issued_on": issued, "removed_on": "", "polarity": polarity, "severity": "",
           "amount": "", "disclosure": disclosure, "stream": "", "inspector_id": "",
           "outcome": ""}
    row.update(extra)
    return row


def build_world(out: Path) -> None:
    companies = [_company(t, n) for t, n in FIRMS.items() if t not in "EH"]
    companies += [_company("E", FIRMS["E"], dissolved="2022-03-01", founded="2010-01-01"),
                  _company("H", FIRMS["H"], dissolved="2022-05-01", founded="2010-01-01")]
    companies += [_company(f"X{i:02d}", f"Filler {i:02d}", region="110000", industry="F51")
                  for i in range(FILLERS)]
    people = [{"person_id": p, "name": f"Person {p}", "nationality": "CN"}
              for p in ("P1", "P2", "P3", "P4")]
    people += [{"person_id": f"PX{i:02d}", "name": f"Filler Rep {i:02d}", "nationality": "CN"}
               for i in range(FILLERS)]
    records = [
        _record("R1", "administrative_penalties", "administrative_penalty", "SAMR-BJ",
                "2023-02-01", "negative", "public", severity="general", amount="5000"),
        _record("R2", "tax_arrears", "tax_unpaid", "STA", "2023-03-01", "negative",
                "agency_shared", amount="80000"),
        _record("R3", "administrative_penalties", "administrative_penalty", "SAMR-FJ",
                "2023-04-01", "negative", "restricted", severity="serious"),
        _record("R4", "blacklist", "dishonest_person_list", "court-Y", "2022-01-01",
                "negative", "public"),
        _record("R5", "blacklist", "dishonest_person_list", "court-X", "2022-02-01",
                "negative", "restricted"),
        _record("R6", "tax_arrears", "tax_unpaid", "STA", "2023-05-01", "negative",
                "agency_shared"),
        _record("R7", "inspections", "random_inspection", "SAMR-BJ", "2023-06-01", "neutral",
                "public", stream="random", outcome="violation"),
        _record("R8", "blacklist", "serious_dishonest_enterprise_list", "SAMR-BJ",
                "2021-06-01", "negative", "public"),
        _record("R9", "blacklist", "procurement_ban", "MOF", "2021-07-01", "negative",
                "restricted"),
    ]
    has_record = [{"src": uscc("A"), "dst": r, "src_label": "Company"}
                  for r in ("R1", "R2", "R3", "R7")]
    has_record += [{"src": "P1", "dst": r, "src_label": "Person"} for r in ("R4", "R5")]
    has_record += [{"src": uscc("D"), "dst": "R6", "src_label": "Company"},
                   {"src": uscc("E"), "dst": "R8", "src_label": "Company"},
                   {"src": uscc("H"), "dst": "R9", "src_label": "Company"}]
    legal = [{"src": "P1", "dst": uscc("A"), "since": "2015-01-01", "until": ""},
             {"src": "P1", "dst": uscc("D"), "since": "2016-01-01", "until": ""},
             {"src": "P3", "dst": uscc("E"), "since": "2010-01-01", "until": "2022-03-01"},
             {"src": "P3", "dst": uscc("F"), "since": "2022-06-01", "until": ""},
             {"src": "P4", "dst": uscc("H"), "since": "2010-01-01", "until": "2022-05-01"},
             {"src": "P4", "dst": uscc("G"), "since": "2022-06-01", "until": ""}]
    for i in range(FILLERS):
        tag = f"X{i:02d}"
        legal.append({"src": f"PX{i:02d}", "dst": uscc(tag), "since": "2015-01-01",
                      "until": ""})
        records.append(_record(f"RX{i:02d}p", "administrative_penalties",
                               "administrative_penalty", "SAMR-BJ", "2023-01-01", "negative",
                               "public"))
        records.append(_record(f"RX{i:02d}s", "tax_arrears", "tax_unpaid", "STA",
                               "2023-01-02", "negative", "agency_shared"))
        has_record += [{"src": uscc(tag), "dst": f"RX{i:02d}{s}", "src_label": "Company"}
                       for s in "ps"]
    equity = [{"src": "P1", "dst": uscc("A"), "src_label": "Person", "share": "80",
               "since": "2015-01-01", "until": ""},
              {"src": uscc("B"), "dst": uscc("A"), "src_label": "Company", "share": "20",
               "since": "2015-01-01", "until": ""},
              {"src": uscc("A"), "dst": uscc("B"), "src_label": "Company", "share": "60",
               "since": "2015-01-01", "until": ""},
              {"src": "P2", "dst": uscc("B"), "src_label": "Person", "share": "40",
               "since": "2015-01-01", "until": ""}]
    _write(out / "nodes/Company.csv", companies)
    _write(out / "nodes/Person.csv", people)
    _write(out / "nodes/CreditRecord.csv", records)
    _write(out / "nodes/Address.csv", [{"address_id": "AD1", "text": "1 Harbour Road, Fuzhou",
                                        "region_code": "350100"}])
    _write(out / "nodes/Tender.csv", [{
        "tender_id": "T1", "title": "Hospital beds", "buyer": "Fuzhou Hospital",
        "region_code": "350100", "category": "goods", "estimated_value": "900000",
        "published_on": "2023-01-10", "deadline": "2023-02-10", "procedure": "open"}])
    _write(out / "nodes/Bid.csv", [
        {"bid_id": "BA", "tender_id": "T1", "amount": "850000",
         "submitted_at": "2023-02-01T10:00:00", "status": "won"},
        {"bid_id": "BD", "tender_id": "T1", "amount": "870000",
         "submitted_at": "2023-02-02T10:00:00", "status": "lost"}])
    _write(out / "rels/HAS_RECORD.csv", has_record)
    _write(out / "rels/LEGAL_REPRESENTATIVE_OF.csv", legal)
    _write(out / "rels/HOLDS_EQUITY.csv", equity)
    _write(out / "rels/SUPPLIES.csv", [
        {"src": uscc("C"), "dst": uscc("A"), "annual_value": "100000", "since": "2019-01-01",
         "until": ""},
        {"src": uscc("D"), "dst": uscc("I"), "annual_value": "50000", "since": "2019-01-01",
         "until": ""}])
    _write(out / "rels/REGISTERED_AT.csv", [
        {"src": uscc("A"), "dst": "AD1", "since": "2015-01-01", "until": ""},
        {"src": uscc("C"), "dst": "AD1", "since": "2018-01-01", "until": ""}])
    _write(out / "rels/SUBMITTED.csv", [{"src": uscc("A"), "dst": "BA", "role": "sole"},
                                        {"src": uscc("D"), "dst": "BD", "role": "sole"}])
    _write(out / "rels/FOR_TENDER.csv", [{"src": "BA", "dst": "T1"}, {"src": "BD", "dst": "T1"}])


@pytest.fixture(scope="module")
def api_graph(driver: Driver, settings: Settings,
              tmp_path_factory: pytest.TempPathFactory) -> Driver:
    """The driver, with the hand-built world loaded (and nothing else). Module-scoped: other
    test modules here clear the graph per test."""
    out = tmp_path_factory.mktemp("api-world")
    build_world(out)
    clear_data(driver, settings.neo4j_database)
    report = load_world(driver, out, database=settings.neo4j_database, progress=False)
    assert report.rejects == 0, (out / "rejects.csv").read_text()
    return driver


class CountingDriver:
    """The real driver, counting the statements sent to Neo4j (round trips)."""

    def __init__(self, driver: Driver) -> None:
        self._driver = driver
        self.round_trips = 0

    def execute_query(self, *args: Any, **kwargs: Any) -> Any:
        self.round_trips += 1
        return self._driver.execute_query(*args, **kwargs)

    def session(self, *args: Any, **kwargs: Any) -> Any:
        self.round_trips += 1
        return self._driver.session(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._driver, name)


Gql = Callable[..., dict[str, Any]]


TEST_BUDGET = 60.0
"""Seconds per request in tests: first-time query planning is slow on a busy 2-core box."""


def make_client(driver: Any, settings: Settings, principal: Principal,
                budget: float | None = TEST_BUDGET) -> TestClient:
    """A FastAPI app serving the schema with a fixed principal (no authentication); ``budget``
    replaces the settings' request timeout unless None."""
    if budget is not None:
        settings = settings.model_copy(update={"riskgraph_request_timeout": budget})
    state = AppState(settings=settings, driver=driver)

    async def context() -> Context:
        return Context(state, principal)

    app = FastAPI()
    app.include_router(GraphQLRouter(schema, context_getter=context), prefix="/graphql")
    return TestClient(app)


@pytest.fixture
def gql(api_graph: Driver, settings: Settings) -> Iterator[Gql]:
    """``gql(query, principal=PUBLIC, **variables)`` → the response body."""
    clients: dict[Principal, TestClient] = {}

    def run(query: str, principal: Principal = PUBLIC, **variables: Any) -> dict[str, Any]:
        if principal not in clients:
            clients[principal] = make_client(api_graph, settings, principal)
        response = clients[principal].post("/graphql",
                                           json={"query": query, "variables": variables})
        assert "Traceback" not in response.text
        body: dict[str, Any] = response.json()
        return body

    yield run


@pytest.fixture(scope="module")
def offline_client() -> Iterator[TestClient]:
    """The app with Neo4j unreachable (a closed port): for what is refused before any
    statement runs (input checks, persisted-query lookups); one per test module."""
    patch = pytest.MonkeyPatch()
    for name, value in {"NEO4J_URI": "bolt://127.0.0.1:9", "NEO4J_PASSWORD": "unused",
                        "NEO4J_CONNECT_TIMEOUT": "0.5", "RISKGRAPH_WARM_EXPLANATIONS": "false",
                        "RISKGRAPH_ANONYMOUS_RATE_LIMIT_PER_MINUTE": "0"}.items():
        patch.setenv(name, value)
    get_settings.cache_clear()
    try:
        with TestClient(create_app(), raise_server_exceptions=False) as c:
            yield c
    finally:
        patch.undo()
        get_settings.cache_clear()

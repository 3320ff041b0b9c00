"""Round trips, request limits and error codes of the GraphQL API (real Neo4j)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from neo4j import Driver

from riskgraph.app import cache
from riskgraph.app.graphql.limits import MAX_ALIASES, MAX_COST, MAX_DEPTH, MAX_PAGE, MAX_TOKENS
from riskgraph.app.graphql.risk import explain_cache
from riskgraph.app.security.principal import Principal
from riskgraph.graph.config import Settings, get_settings
from riskgraph.graph.errors import ErrorCode, RiskgraphError
from tests.app.conftest import (
    ADMIN,
    INVESTIGATOR,
    PUBLIC,
    TEST_BUDGET,
    CountingDriver,
    make_client,
    uscc,
)

pytestmark = pytest.mark.neo4j

EXPLAIN = "query($u: String!) { explanation(uscc: $u) { tier } }"
PAGE_WITH_PEOPLE_AND_RECORDS = """{ companies(region: "110000", first: 50) { nodes {
    uscc name legalRepresentatives { personId name } records { recordId category } } } }"""


def _post(driver: Any, settings: Settings, query: str, principal: Principal = PUBLIC,
          budget: float | None = TEST_BUDGET, **variables: Any) -> dict[str, Any]:
    with make_client(driver, settings, principal, budget) as client:
        response = client.post("/graphql", json={"query": query, "variables": variables})
    assert "Traceback" not in response.text and "File \"" not in response.text
    body: dict[str, Any] = response.json()
    return body


def _code(body: dict[str, Any]) -> str:
    return str(body["errors"][0]["extensions"]["code"])


def test_a_page_of_50_companies_with_people_and_records_takes_3_round_trips(
        api_graph: Driver, settings: Settings) -> None:
    counting = CountingDriver(api_graph)
    body = _post(counting, settings, PAGE_WITH_PEOPLE_AND_RECORDS, principal=ADMIN)
    nodes = body["data"]["companies"]["nodes"]
    assert len(nodes) == 50
    assert all(len(n["legalRepresentatives"]) == 1 for n in nodes)
    assert all({r["category"] for r in n["records"]} ==
               {"administrative_penalties", "tax_arrears"} for n in nodes)
    assert counting.round_trips <= 3


def test_the_request_timeout_is_passed_to_neo4j(api_graph: Driver, settings: Settings) -> None:
    seen: list[float] = []

    class RecordingSession:
        def __init__(self, session: Any) -> None:
            self._session = session

        def __enter__(self) -> RecordingSession:
            self._session.__enter__()
            return self

        def __exit__(self, *exc: Any) -> Any:
            return self._session.__exit__(*exc)

        def run(self, query: Any, *args: Any, **kwargs: Any) -> Any:
            seen.append(float(query.timeout))
            return self._session.run(query, *args, **kwargs)

    class Recording(CountingDriver):
        """The API's reads are auto-commit transactions: the timeout rides on the Query."""

        def session(self, *args: Any, **kwargs: Any) -> Any:
            return RecordingSession(super().session(*args, **kwargs))

    _post(Recording(api_graph), settings,
          '{ companies(first: 3) { nodes { name records { recordId } } } }')
    assert seen and all(0 < t <= TEST_BUDGET for t in seen)
    assert seen[-1] < seen[0]  # the time left of one budget, not a fresh timeout each time


def test_a_spent_budget_is_limit_exceeded(api_graph: Driver, settings: Settings) -> None:
    hurried = settings.model_copy(update={"riskgraph_request_timeout": 0.001})
    body = _post(api_graph, hurried, '{ companies(first: 3) { nodes { name } } }', budget=None)
    assert _code(body) == "LIMIT_EXCEEDED"


def _nested(depth: int) -> str:
    inner = "name"
    for _ in range(depth):
        inner = f"addresses {{ companies {{ {inner} }} }}"
    return f'query($u: String!) {{ company(uscc: $u) {{ {inner} }} }}'


def test_depth_limit(api_graph: Driver, settings: Settings) -> None:
    ok = _post(api_graph, settings, _nested(3), u=uscc("A"))
    assert "errors" not in ok
    body = _post(api_graph, settings, _nested(MAX_DEPTH // 2 + 1), u=uscc("A"))
    assert body["data"] is None and _code(body) == "LIMIT_EXCEEDED"


def test_page_size_limit_and_bad_page_size(api_graph: Driver, settings: Settings) -> None:
    too_many = f"{{ companies(first: {MAX_PAGE + 1}) {{ nodes {{ name }} }} }}"
    body = _post(api_graph, settings, too_many)
    assert _code(body) == "LIMIT_EXCEEDED"
    assert _code(_post(api_graph, settings, "{ companies(first: 0) { nodes { name } } }")) \
        == "BAD_INPUT"


def test_alias_and_token_limits(api_graph: Driver, settings: Settings) -> None:
    aliases = " ".join(f"h{i}: health {{ status }}" for i in range(MAX_ALIASES + 1))
    assert _code(_post(api_graph, settings, f"{{ {aliases} }}")) == "LIMIT_EXCEEDED"
    tokens = " ".join("status" for _ in range(MAX_TOKENS))
    assert _code(_post(api_graph, settings, f"{{ health {{ {tokens} }} }}")) == "LIMIT_EXCEEDED"


def test_cost_limit_refuses_before_reaching_neo4j(api_graph: Driver, settings: Settings) -> None:
    part = """relatedParties(uscc: $u, hops: 3, first: 500) { company { uscc name
        records { recordId category agency }
        officers { role person { name records { recordId } } } }
        path { fromUscc toUscc } }"""
    counting = CountingDriver(api_graph)
    body = _post(counting, settings, f"query($u: String!) {{ a: {part} b: {part} c: {part} }}",
                 u=uscc("A"))
    assert _code(body) == "LIMIT_EXCEEDED" and str(MAX_COST) in body["errors"][0]["message"]
    assert counting.round_trips == 0
    cheap = _post(api_graph, settings, f"query($u: String!) {{ a: {part} }}", u=uscc("A"))
    assert "errors" not in cheap


@pytest.mark.parametrize("query", [
    '{ relatedParties(uscc: "X", hops: 4) { hops } }',
    '{ relatedParties(uscc: "X", first: 0) { hops } }',
    '{ companies(after: "not-a-cursor") { nodes { name } } }',
    '{ noSuchField }',
    '{ company(uscc: "  ") { name } }',
    '{ ownershipChain(uscc: "X", maxDepth: 0) { effectiveShare } }',
])
def test_bad_input(api_graph: Driver, settings: Settings, query: str) -> None:
    body = _post(api_graph, settings, query)
    assert _code(body) == "BAD_INPUT", body


def test_unknown_ids_are_null_in_lookups_and_not_found_elsewhere(
        api_graph: Driver, settings: Settings) -> None:
    for query, field in (('{ person(id: "nobody") { name } }', "person"),
                         ('{ tender(id: "T9") { title } }', "tender")):
        body = _post(api_graph, settings, query)
        assert body["data"][field] is None and "errors" not in body, body
    assert _code(_post(api_graph, settings,
                       '{ sharedPeople(a: "A", b: "B") { rolesInA } }')) == "NOT_FOUND"


def test_unavailable_when_neo4j_is_down(settings: Settings) -> None:
    down = settings.model_copy(update={"neo4j_uri": "bolt://127.0.0.1:9",
                                       "neo4j_connect_timeout": 1.0})
    body = _post(None, down, '{ companies { nodes { name } } }')
    assert _code(body) == "UNAVAILABLE"
    assert "bolt://" not in str(body["errors"][0].get("locations"))


def test_unexpected_errors_are_internal_without_details(
        api_graph: Driver, settings: Settings, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    def boom(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("MATCH (c:Company) RETURN c  -- secret")

    monkeypatch.setattr(explain_cache, "explain_firm", boom)
    body = _post(api_graph, settings, EXPLAIN, INVESTIGATOR, u=uscc("A"))
    error = body["errors"][0]
    assert error["extensions"]["code"] == "INTERNAL"
    assert "MATCH" not in str(body) and "secret" not in str(body)
    assert "stacktrace" not in str(error.get("extensions"))
    incident = error["message"].split("incident ")[1].rstrip(").")
    logged = [r for r in caplog.records if r.name == "riskgraph.api.errors"]
    assert logged and incident in logged[0].getMessage()
    assert logged[0].exc_info and "secret" in str(logged[0].exc_info[1])  # kept server-side


@pytest.mark.parametrize("code", [ErrorCode.FORBIDDEN, ErrorCode.UNAUTHENTICATED])
def test_domain_error_codes_pass_through(api_graph: Driver, settings: Settings,
                                         monkeypatch: pytest.MonkeyPatch,
                                         code: ErrorCode) -> None:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise RiskgraphError("not for you", code=code)

    monkeypatch.setattr(explain_cache, "explain_firm", refuse)
    body = _post(api_graph, settings, EXPLAIN, INVESTIGATOR, u=uscc("A"))
    assert _code(body) == code.value and body["errors"][0]["message"] == "not for you"


def test_explanation_without_a_trained_model_is_not_found(
        api_graph: Driver, settings: Settings, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RISKGRAPH_HOME", str(tmp_path))  # no models/ here
    get_settings.cache_clear()
    cache.invalidate()
    try:
        body = _post(api_graph, settings, EXPLAIN, INVESTIGATOR, u=uscc("A"))
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
    assert _code(body) == "NOT_FOUND" and "riskgraph train" in body["errors"][0]["message"]

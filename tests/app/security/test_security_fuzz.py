"""Schemathesis in GraphQL mode against the whole application (issue 14, item 8): queries
generated from the schema for every root field, sent with an investigator key (and the
mutations with a public key, so nothing but objections is written), within a bounded budget;
no answer may be a server error or lack a code. Real Neo4j with the API test world.

The counts are printed (``pytest -s``): requests, HTTP statuses and error codes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from neo4j import Driver

from riskgraph.app.graphql.schema import schema as app_schema
from riskgraph.app.main import create_app
from riskgraph.app.security.keys import create_key
from riskgraph.app.security.principal import Role
from riskgraph.graph.config import get_settings

DB = get_settings().neo4j_database

pytestmark = pytest.mark.neo4j

SCHEMA = schemathesis.graphql.from_file(str(app_schema))
OPERATIONS = [op.ok() for op in SCHEMA.get_all_operations()]
EXAMPLES = 8
"""Generated requests per root field (29 fields: about 230 requests)."""
CODES = {"BAD_INPUT", "LIMIT_EXCEEDED", "NOT_FOUND", "FORBIDDEN", "CONFLICT"}
TALLY: Counter[str] = Counter()


@pytest.fixture(scope="module")
def keyed_client(api_graph: Driver) -> Iterator[tuple[TestClient, dict[str, str]]]:
    patch = pytest.MonkeyPatch()
    for name, value in {"RISKGRAPH_RATE_LIMIT_PER_MINUTE": "0",
                        "RISKGRAPH_ANONYMOUS_RATE_LIMIT_PER_MINUTE": "0",
                        "RISKGRAPH_WARM_EXPLANATIONS": "false",
                        "RISKGRAPH_REQUEST_TIMEOUT": "60"}.items():
        patch.setenv(name, value)
    get_settings.cache_clear()
    keys = {"Query": create_key(api_graph, "fuzz", Role.INVESTIGATOR, database=DB).token,
            "Mutation": create_key(api_graph, "fuzz-public", Role.PUBLIC, database=DB).token}
    try:
        with TestClient(create_app(), raise_server_exceptions=False) as client:
            yield client, keys
    finally:
        patch.undo()
        get_settings.cache_clear()
        print(f"\nschemathesis: {sum(v for k, v in TALLY.items() if k.startswith('HTTP'))} "
              f"requests; {dict(sorted(TALLY.items()))}")


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: op.label)
def test_generated_requests_never_get_a_server_error(
        keyed_client: tuple[TestClient, dict[str, str]], operation: object) -> None:
    client, keys = keyed_client
    key = keys[operation.label.split(".")[0]]  # type: ignore[attr-defined]

    @given(case=operation.as_strategy())  # type: ignore[attr-defined]
    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    def send(case: schemathesis.Case) -> None:
        request = case.as_transport_kwargs(base_url="http://testserver/graphql")
        response = client.post("/graphql", json=request["json"],
                               headers={"Authorization": f"Bearer {key}"})
        TALLY[f"HTTP {response.status_code}"] += 1
        assert response.status_code < 500, (request["json"], response.text[:500])
        body = response.json()
        for error in body.get("errors") or ():
            code = error["extensions"]["code"]
            TALLY[code] += 1
            assert code in CODES, (request["json"], error)

    send()

"""API keys, authentication, rate limits, the query audit log and /metrics, against real Neo4j."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from fastapi import Depends
from fastapi.testclient import TestClient
from neo4j import Driver
from neo4j.exceptions import ServiceUnavailable
from prometheus_client.parser import text_string_to_metric_families

from riskgraph.app.context import Context, get_context
from riskgraph.app.main import create_app
from riskgraph.app.metrics import NEO4J_ERRORS, count_neo4j_error
from riskgraph.app.security.authentication import KeyCache
from riskgraph.app.security.keys import create_key, get_key, list_keys, revoke_key
from riskgraph.app.security.principal import Role
from riskgraph.app.security.query_log import list_query_logs, variables_sha256
from riskgraph.app.security.rate_limit import TokenBucketLimiter
from riskgraph.graph.config import PROJECT_ROOT, Settings, get_settings
from riskgraph.graph.errors import BadInput, Unavailable

DB = get_settings().neo4j_database

pytestmark = pytest.mark.neo4j

HEALTH = "{ health { status } }"
PROBE = "query Probe($yes: Boolean!) { health @include(if: $yes) { status } }"


@contextmanager
def api(**env: str) -> Iterator[TestClient]:
    """The app under the test's settings (RISKGRAPH_* overrides), with a /whoami probe route."""
    saved = {name: os.environ.get(name) for name in env}
    os.environ.update(env)
    get_settings.cache_clear()
    try:
        app = create_app()

        @app.get("/whoami")
        def whoami(context: Context = Depends(get_context)) -> dict[str, Any]:  # noqa: B008
            p = context.principal
            return {"role": p.role.value, "key_id": p.key_id, "agencies": list(p.agencies),
                    **p.disclosure_params()}

        with TestClient(app) as client:
            yield client
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        get_settings.cache_clear()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "riskgraph", *args], capture_output=True,
                          text=True, cwd=PROJECT_ROOT, env=dict(os.environ), check=False)


def test_a_key_is_stored_hashed_never_in_plain(clean_graph: Driver) -> None:
    issued = create_key(clean_graph, "analyst", Role.INVESTIGATOR, database=DB)
    _, key_id, secret = issued.token.split("_", 2)
    assert key_id == issued.key.key_id and len(secret) >= 40
    records, _, _ = clean_graph.execute_query(
        "MATCH (k:ApiKey {key_id: $id}) RETURN properties(k) AS p", id=key_id)
    stored = records[0]["p"]
    assert stored["hash"] == "sha256:" + hashlib.sha256(secret.encode()).hexdigest()
    assert stored["role"] == "investigator" and stored["name"] == "analyst"
    assert all(secret not in str(value) for value in stored.values())


def test_key_input_is_checked(clean_graph: Driver) -> None:
    with pytest.raises(BadInput, match="needs at least one --agency"):
        create_key(clean_graph, "r", Role.RESTRICTED, database=DB)
    with pytest.raises(BadInput, match="restricted keys only"):
        create_key(clean_graph, "i", Role.INVESTIGATOR, ["Customs"], database=DB)
    with pytest.raises(BadInput, match="not one of public, investigator"):
        create_key(clean_graph, "x", "superuser", database=DB)


def test_cli_creates_lists_and_revokes(clean_graph: Driver) -> None:
    created = run_cli("keys", "create", "--name", "cli probe", "--role", "restricted",
                      "--agency", "Customs", "--agency", "Finance Bureau")
    assert created.returncode == 0, created.stderr
    token = created.stdout.strip()
    key_id = token.split("_")[1]
    assert token.startswith("rg_") and "cannot be shown again" in created.stderr
    listed = run_cli("keys", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    assert [(k["key_id"], k["role"]) for k in json.loads(listed.stdout)] == [
        (key_id, "restricted")]
    assert token.split("_", 2)[2] not in listed.stdout
    assert run_cli("keys", "revoke", key_id).returncode == 0
    stored = get_key(clean_graph, key_id, database=DB)
    assert stored is not None and stored.key.revoked_at is not None
    assert stored.key.agencies == ("Customs", "Finance Bureau")
    assert [k.key_id for k in list_keys(clean_graph, include_revoked=False, database=DB)] == []
    missing = run_cli("keys", "revoke", "000000000000")
    assert missing.returncode == 3 and "no API key" in missing.stderr


@pytest.mark.parametrize("header", ["Authorization", "X-API-Key"])
def test_each_role_maps_to_its_principal(clean_graph: Driver, header: str) -> None:
    keys = {role: create_key(clean_graph, f"k {role.value}", role,
                             ["Customs"] if role is Role.RESTRICTED else [], database=DB)
            for role in Role}
    with api() as client:
        assert client.get("/whoami").json()["role"] == "public"
        for role, issued in keys.items():
            value = f"Bearer {issued.token}" if header == "Authorization" else issued.token
            seen = client.get("/whoami", headers={header: value}).json()
            assert seen["role"] == role.value and seen["key_id"] == issued.key.key_id
            if role is Role.RESTRICTED:
                assert seen["agencies"] == ["Customs"]
                assert seen["disclosures"] == ["public", "agency_shared"]
            if role is Role.ADMIN:
                assert "restricted" in seen["disclosures"]


def test_bad_malformed_and_revoked_keys_are_unauthenticated(clean_graph: Driver) -> None:
    good = create_key(clean_graph, "soon revoked", Role.INVESTIGATOR, database=DB)
    forged = good.token[:-4] + ("AAAA" if not good.token.endswith("AAAA") else "BBBB")
    unknown = "rg_0123456789ab_" + "x" * 43
    with api(RISKGRAPH_KEY_CACHE_SECONDS="0") as client:
        ok = client.post("/graphql", json={"query": HEALTH}, headers=bearer(good.token))
        assert ok.status_code == 200 and ok.json()["data"]["health"]["status"] == "ok"
        revoke_key(clean_graph, good.key.key_id, database=DB)
        for headers in (bearer(forged), bearer(unknown), bearer("not-a-key"),
                        {"Authorization": "Basic dXNlcjpwYXNz"}, bearer(good.token)):
            refused = client.post("/graphql", json={"query": HEALTH}, headers=headers)
            assert refused.status_code == 401, headers
            body = refused.json()
            assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
            assert body["code"] == "UNAUTHENTICATED" and "data" not in body
            assert "Traceback" not in refused.text
        assert "revoked" in client.post("/graphql", json={"query": HEALTH},
                                        headers=bearer(good.token)).json()["message"]


def test_revocation_waits_for_the_key_cache(clean_graph: Driver) -> None:
    issued = create_key(clean_graph, "cached", Role.INVESTIGATOR, database=DB)
    with api(RISKGRAPH_KEY_CACHE_SECONDS="3600") as client:
        assert client.get("/whoami", headers=bearer(issued.token)).status_code == 200
        revoke_key(clean_graph, issued.key.key_id, database=DB)
        assert client.get("/whoami", headers=bearer(issued.token)).status_code == 200
        client.app.state.riskgraph.security.keys.clear()  # type: ignore[attr-defined]
        assert client.get("/whoami", headers=bearer(issued.token)).status_code == 401


def test_rate_limit_is_per_key_and_answers_429(clean_graph: Driver) -> None:
    first = create_key(clean_graph, "busy", Role.INVESTIGATOR, database=DB)
    second = create_key(clean_graph, "other", Role.INVESTIGATOR, database=DB)
    limits = {"RISKGRAPH_RATE_LIMIT_PER_MINUTE": "1", "RISKGRAPH_RATE_LIMIT_BURST": "2",
              "RISKGRAPH_ANONYMOUS_RATE_LIMIT_PER_MINUTE": "1"}
    with api(**limits) as client:
        def ask(headers: dict[str, str]) -> Any:
            return client.post("/graphql", json={"query": HEALTH}, headers=headers)

        assert [ask(bearer(first.token)).status_code for _ in range(2)] == [200, 200]
        limited = ask(bearer(first.token))
        assert limited.status_code == 429
        assert limited.json()["code"] == "LIMIT_EXCEEDED"
        assert limited.json()["errors"][0]["extensions"]["code"] == "LIMIT_EXCEEDED"
        assert int(limited.headers["Retry-After"]) >= 1
        assert ask(bearer(second.token)).status_code == 200  # its own bucket
        assert [ask({}).status_code for _ in range(3)] == [200, 200, 429]  # anonymous, per IP


def test_audit_log_records_non_public_queries_with_the_variables_hash(
    clean_graph: Driver,
) -> None:
    investigator = create_key(clean_graph, "auditee", Role.INVESTIGATOR, database=DB)
    variables = {"yes": True}
    with api() as client:
        response = client.post("/graphql", headers=bearer(investigator.token), json={
            "query": PROBE, "variables": variables, "operationName": "Probe"})
        assert response.status_code == 200 and "errors" not in response.json()
        failing = client.post("/graphql", headers=bearer(investigator.token),
                              json={"query": "{ noSuchField }"})
        assert failing.json()["errors"]
        client.post("/graphql", json={"query": PROBE, "variables": variables})  # anonymous
    # leaving the client ran the lifespan shutdown, which flushes the audit queue
    entries = list_query_logs(clean_graph, key_id=investigator.key.key_id, database=DB)
    assert len(entries) == 2
    by_op = {e["operation"]: e for e in entries}
    probe = by_op["Probe"]
    expected = hashlib.sha256(json.dumps(variables, separators=(",", ":")).encode()).hexdigest()
    assert probe["variables_sha256"] == expected
    assert probe["role"] == "investigator" and probe["outcome"] == "ok"
    assert probe["status"] == 200 and probe["root_fields"] == ["health"]
    assert probe["duration_ms"] > 0 and probe["at"] is not None
    bad = by_op["query {noSuchField}"]
    assert bad["outcome"] == "error" and bad["error_codes"]
    # the anonymous request left no entry
    assert len(list_query_logs(clean_graph, database=DB)) == 2
    shown = run_cli("keys", "audit", "--key", investigator.key.key_id, "--limit", "5", "--json")
    assert shown.returncode == 0, shown.stderr
    assert {(e["operation"], e["variables_sha256"]) for e in json.loads(shown.stdout)} == {
        ("Probe", expected), ("query {noSuchField}", bad["variables_sha256"])}


def test_variables_hash_is_canonical() -> None:
    assert variables_sha256({"b": 1, "a": [1, "é"]}) == variables_sha256({"a": [1, "é"], "b": 1})
    assert variables_sha256(None) == variables_sha256({}) != variables_sha256({"a": None})


def _samples(text: str) -> dict[str, list[tuple[dict[str, str], float]]]:
    found: dict[str, list[tuple[dict[str, str], float]]] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found.setdefault(sample.name, []).append((sample.labels, sample.value))
    return found


def test_metrics_are_prometheus_text(clean_graph: Driver) -> None:
    with api() as client:
        before = _samples(client.get("/metrics").text)
        client.post("/graphql", json={"query": HEALTH})
        client.post("/graphql", json={"query": HEALTH}, headers=bearer("rg_nope"))
        response = client.get("/metrics")
    assert response.status_code == 200 and response.headers["content-type"].startswith(
        "text/plain")
    after = _samples(response.text)

    def value(name: str, **labels: str) -> float:
        return sum(v for lab, v in after.get(name, []) if labels.items() <= lab.items()) - sum(
            v for lab, v in before.get(name, []) if labels.items() <= lab.items())

    assert value("riskgraph_http_requests_total", route="/graphql", status="200") == 1
    assert value("riskgraph_http_requests_total", route="/graphql", status="401") == 1
    assert value("riskgraph_http_request_duration_seconds_count", route="/graphql") == 2
    assert value("riskgraph_graphql_operations_total", field="health", outcome="ok") == 1
    assert value("riskgraph_auth_failures_total", reason="malformed") == 1
    assert "# TYPE riskgraph_neo4j_errors_total counter" in response.text


def test_neo4j_errors_are_counted_once_through_the_chain() -> None:
    def current() -> float:
        return NEO4J_ERRORS.labels(error="ServiceUnavailable")._value.get()  # type: ignore[no-any-return]

    start = current()
    try:
        try:
            raise ServiceUnavailable("down")
        except ServiceUnavailable:
            raise Unavailable("the graph database is not available") from None
    except Unavailable as exc:
        assert count_neo4j_error(exc) and count_neo4j_error(exc)
    assert current() == start + 1
    assert not count_neo4j_error(ValueError("not neo4j"))


def test_demo_keys_one_per_role_idempotent_and_private(clean_graph: Driver,
                                                       settings: Settings) -> None:
    path = Path(settings.riskgraph_home) / "demo-keys.json"
    path.unlink(missing_ok=True)
    first = run_cli("keys", "demo")
    assert first.returncode == 0, first.stderr
    assert str(path) in first.stdout.replace("\n", "") and "created" in first.stdout
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    keys = json.loads(path.read_text())["keys"]
    assert sorted(keys) == sorted(r.value for r in Role)
    again = run_cli("keys", "demo")
    assert "unchanged" in again.stdout and json.loads(path.read_text())["keys"] == keys
    revoke_key(clean_graph, keys["admin"]["key_id"], database=DB)
    third = run_cli("keys", "demo")
    renewed = json.loads(path.read_text())["keys"]
    assert "created" in third.stdout and renewed["admin"]["key_id"] != keys["admin"]["key_id"]
    with api() as client:
        for role, entry in renewed.items():
            seen = client.get("/whoami", headers=bearer(entry["key"])).json()
            assert seen["role"] == role
    old = get_key(clean_graph, keys["public"]["key_id"], database=DB)
    assert old is not None and old.key.revoked_at is not None  # replaced keys are revoked


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_token_bucket_refills_at_its_rate() -> None:
    clock = FakeClock()
    limiter = TokenBucketLimiter(per_minute=60, burst=2, clock=clock)
    assert [limiter.take("k") for _ in range(2)] == [0.0, 0.0]
    assert limiter.take("k") == pytest.approx(1.0)  # one token a second
    clock.now += 0.5
    assert limiter.take("k") == pytest.approx(0.5)
    clock.now += 0.5
    assert limiter.take("k") == 0.0 and limiter.take("other") == 0.0
    clock.now += 3600
    assert [limiter.take("k") for _ in range(3)][:2] == [0.0, 0.0]  # never above the burst
    assert TokenBucketLimiter(per_minute=0, burst=1).take("k") == 0.0  # 0 = off


def test_key_cache_keeps_entries_for_its_ttl() -> None:
    clock = FakeClock()
    fetched: list[str] = []

    def fetch(key_id: str) -> None:
        fetched.append(key_id)

    cache = KeyCache(fetch, ttl=30, clock=clock)
    assert cache.cached("a") == (False, None)
    cache.load("a")
    assert cache.cached("a") == (True, None)  # a missing key is remembered too
    clock.now += 31
    assert cache.cached("a") == (False, None) and fetched == ["a"]


OBJECT = ("mutation File($input: CreateObjectionInput!) { createObjection(input: $input) "
          "{ objection { id } errors { code message } } }")


def test_a_payload_error_is_audited_and_counted_as_an_error(clean_graph: Driver) -> None:
    """A mutation answering with errors in its payload (no top-level error) still marks the
    request as failed in the query audit log and in /metrics."""
    investigator = create_key(clean_graph, "objector", Role.INVESTIGATOR, database=DB)
    with api() as client:
        before = _samples(client.get("/metrics").text)
        answer = client.post("/graphql", headers=bearer(investigator.token), json={
            "query": OBJECT, "operationName": "File", "variables": {"input": {
                "uscc": "91110000MA00000000", "grounds": "not ours", "recordId": "R-NONE"}}})
        after = _samples(client.get("/metrics").text)
    body = answer.json()
    assert "errors" not in body, body
    codes = [e["code"] for e in body["data"]["createObjection"]["errors"]]
    assert codes and body["data"]["createObjection"]["objection"] is None
    entry, = list_query_logs(clean_graph, key_id=investigator.key.key_id, database=DB)
    assert entry["operation"] == "File" and entry["outcome"] == "error"
    assert entry["error_codes"] == codes

    def errors(code: str) -> float:
        def total(samples: dict[str, list[tuple[dict[str, str], float]]]) -> float:
            return sum(v for lab, v in samples.get("riskgraph_graphql_errors_total", [])
                       if lab.get("code") == code)
        return total(after) - total(before)

    assert errors(codes[0]) == 1

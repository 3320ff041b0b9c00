"""Cost of authentication, rate limiting, metrics and the query audit log per request, and the
time to answer the denial-of-service family of issue 14.

    .venv/bin/python bench/bench_api_security.py --url http://127.0.0.1:8000 \
        --key "$(jq -r .keys.investigator.key .riskgraph/demo-keys.json)" [--requests 500]
    .venv/bin/python bench/bench_api_security.py --family [--url URL] [--max-levels 16]

``--family`` sends the fragment bomb (``levels`` fragments each spreading the next twice) at
growing sizes and its cousins (alias fan-out, directive repetition, deep nesting, deep lists in
variables, nested introspection) and prints each one's wall time and answer code. Without
``--url`` it runs in process against the application with no database (none of these
documents needs one). Run it from another checkout (``PYTHONPATH=/path/to/checkout``) for a
baseline; ``--max-levels`` keeps an unpatched server from spinning for hours (about 4x per 2
levels).

Against a running API (``riskgraph serve``), sends ``{ __typename }`` (no Neo4j work) sequentially,
anonymously and then with the key (authenticated + audited), and prints latency percentiles and
the throughput of each. Set RISKGRAPH_RATE_LIMIT_PER_MINUTE=0 and
RISKGRAPH_ANONYMOUS_RATE_LIMIT_PER_MINUTE=0 on the server, or the limiter answers 429 first.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable

import httpx

QUERY = {"query": "query Bench { __typename }", "operationName": "Bench"}


def run(client: httpx.Client, url: str, headers: dict[str, str], n: int) -> list[float]:
    times: list[float] = []
    for _ in range(n):
        began = time.perf_counter()
        response = client.post(f"{url}/graphql", json=QUERY, headers=headers)
        times.append(time.perf_counter() - began)
        if response.status_code != 200:
            raise SystemExit(f"HTTP {response.status_code}: {response.text[:200]}")
    return times


def report(label: str, times: list[float]) -> None:
    ms = sorted(t * 1000 for t in times)
    q = statistics.quantiles(ms, n=100)
    print(f"{label:<14} n={len(ms)}  p50={q[49]:.2f} ms  p95={q[94]:.2f} ms  "
          f"p99={q[98]:.2f} ms  {len(ms) / (sum(ms) / 1000):.0f} req/s (sequential)")


def fragment_bomb(levels: int, alias: bool = False) -> str:
    field = "a{i}: __typename " if alias else ""
    parts = [f"fragment F{i} on Query {{ {field.format(i=i)}...F{i + 1} ...F{i + 1} }}"
             for i in range(levels)]
    parts.append(f"fragment F{levels} on Query {{ __typename }}")
    return "query Bomb { ...F0 } " + " ".join(parts)


def family(max_levels: int) -> list[tuple[str, str]]:
    """``(label, JSON body)``; bodies are text because a 5,000-deep list cannot be encoded by
    the json module (it recurses)."""
    def body(query: str) -> str:
        return json.dumps({"query": query})

    cases = [(f"fragment bomb, {n} levels", body(fragment_bomb(n)))
             for n in range(10, max_levels + 1, 2)]
    cases += [
        (f"alias fan-out, {max_levels} levels", body(fragment_bomb(max_levels, True))),
        ("directive repetition x600", body("{ __typename " + "@include(if: true) " * 600 + "}")),
        ("deep selection x600", body("{ " + 'company(uscc: "x") { ' * 600 + "name"
                                     + " }" * 601)),
        ("same field x3000", body("{ " + "__typename " * 3000 + "}")),
        ("deep list variable x5000",
         '{"query": "query($r: [String]) { companies(region: $r) { nodes { name } } }", '
         '"variables": {"r": ' + "[" * 5000 + "]" * 5000 + "}}"),
        ("nested introspection", body("{ __schema { types { fields { type { fields { type { "
                                      "fields { type { fields { name } } } } } } } } }")),
    ]
    return cases


JSON = {"Content-Type": "application/json"}


def send_family(post: Callable[[str], httpx.Response], max_levels: int) -> None:
    for label, body in family(max_levels):
        began = time.perf_counter()
        try:
            response = post(body)
            took = time.perf_counter() - began
            try:
                answer = response.json()
                errors = answer.get("errors") if isinstance(answer, dict) else None
                code = (errors[0].get("extensions", {}).get("code", "no code") if errors
                        else "answered")
            except ValueError:
                code = f"plain text: {response.text[:40]!r}"
            outcome = f"HTTP {response.status_code} {code}"
        except httpx.HTTPError as exc:
            took = time.perf_counter() - began
            outcome = f"no answer ({type(exc).__name__})"
        print(f"{label:<32} {took * 1000:10.1f} ms  {outcome}")


def in_process() -> Callable[[str], httpx.Response]:
    """The whole application (request guard included) with no database behind it."""
    import os

    from fastapi.testclient import TestClient

    from riskgraph.app.main import create_app
    from riskgraph.graph.config import get_settings

    os.environ.update({"NEO4J_URI": "bolt://127.0.0.1:9", "NEO4J_PASSWORD": "unused",
                       "RISKGRAPH_WARM_EXPLANATIONS": "false",
                       "RISKGRAPH_ANONYMOUS_RATE_LIMIT_PER_MINUTE": "0"})
    get_settings.cache_clear()
    client = TestClient(create_app(), raise_server_exceptions=False)
    client.__enter__()  # run the lifespan (kept open for the process)
    client.post("/graphql", json={"query": "{ __typename }"})  # warm up
    return lambda body: client.post("/graphql", content=body, headers=JSON)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", default=None, help="a running API (default for the latency "
                        "bench: http://127.0.0.1:8000; --family runs in process without it)")
    parser.add_argument("--key", help="an investigator (audited) API key")
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--family", action="store_true",
                        help="time the denial-of-service family instead")
    parser.add_argument("--max-levels", type=int, default=30)
    parser.add_argument("--timeout", type=float, default=60.0,
                        help="seconds to wait for one answer of the family (with --url)")
    args = parser.parse_args()
    if args.family:
        if args.url:
            with httpx.Client(timeout=args.timeout) as family_client:
                send_family(lambda body: family_client.post(
                    f"{args.url}/graphql", content=body, headers=JSON), args.max_levels)
        else:
            send_family(in_process(), args.max_levels)
        return
    if not args.key:
        parser.error("--key is required (or --family)")
    args.url = args.url or "http://127.0.0.1:8000"
    with httpx.Client(timeout=10) as client:
        run(client, args.url, {}, 20)  # warm up (key cache, connections)
        run(client, args.url, {"Authorization": f"Bearer {args.key}"}, 20)
        report("anonymous", run(client, args.url, {}, args.requests))
        report("with key", run(client, args.url, {"Authorization": f"Bearer {args.key}"},
                                  args.requests))


if __name__ == "__main__":
    main()

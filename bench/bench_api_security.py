"""Cost of authentication, rate limiting, metrics and the query audit log per request.

    .venv/bin/python bench/bench_api_security.py --url http://127.0.0.1:8000 \
        --key "$(jq -r .keys.investigator.key .riskgraph/demo-keys.json)" [--requests 500]

Against a running API (``riskgraph serve``), sends ``{ __typename }`` (no Neo4j work) sequentially,
anonymously and then with the key (authenticated + audited), and prints latency percentiles and
the throughput of each. Set RISKGRAPH_RATE_LIMIT_PER_MINUTE=0 and
RISKGRAPH_ANONYMOUS_RATE_LIMIT_PER_MINUTE=0 on the server, or the limiter answers 429 first.
"""

from __future__ import annotations

import argparse
import statistics
import time

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--key", required=True, help="an investigator (audited) API key")
    parser.add_argument("--requests", type=int, default=500)
    args = parser.parse_args()
    with httpx.Client(timeout=10) as client:
        run(client, args.url, {}, 20)  # warm up (key cache, connections)
        run(client, args.url, {"Authorization": f"Bearer {args.key}"}, 20)
        report("anonymous", run(client, args.url, {}, args.requests))
        report("with key", run(client, args.url, {"Authorization": f"Bearer {args.key}"},
                                  args.requests))


if __name__ == "__main__":
    main()

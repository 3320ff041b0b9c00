# The riskgraph API image (docker-compose.yml's "api" and "demo" services). Neo4j runs in its
# own container. The image installs the wheel (what `pip install riskgraph` gives), with its
# dependencies pinned by requirements/ci.txt; state lives on the volume /var/lib/riskgraph.
FROM python:3.11-slim-bookworm AS build
WORKDIR /src
COPY pyproject.toml setup.py README.md LICENSE ./
COPY requirements ./requirements
COPY app ./app
COPY graph ./graph
COPY models ./models
COPY seed ./seed
COPY cypher ./cypher
COPY riskgraph ./riskgraph
COPY docs/domain ./docs/domain
COPY neo4j/pom.xml ./neo4j/pom.xml
RUN pip wheel --no-cache-dir --no-deps --wheel-dir /wheels .

FROM python:3.11-slim-bookworm
# tini is PID 1: it forwards SIGTERM to the API (so uvicorn drains and the audit queue is
# written before exit) and reaps children.
RUN apt-get update \
    && apt-get install -y --no-install-recommends tini=0.19.0-1+b3 \
    && rm -rf /var/lib/apt/lists/*
COPY requirements/ci.txt /tmp/ci.txt
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir -c /tmp/ci.txt /wheels/riskgraph-*.whl \
    && rm -rf /wheels /tmp/ci.txt \
    && useradd --system --uid 10001 --home-dir /var/lib/riskgraph --create-home riskgraph
COPY docker/entrypoint.sh /usr/local/bin/riskgraph-entrypoint
ENV RISKGRAPH_HOME=/var/lib/riskgraph \
    RISKGRAPH_API_HOST=0.0.0.0 \
    RISKGRAPH_API_PORT=8000 \
    RISKGRAPH_LOG_FORMAT=json \
    PYTHONUNBUFFERED=1
USER 10001
WORKDIR /var/lib/riskgraph
VOLUME ["/var/lib/riskgraph"]
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ['RISKGRAPH_API_PORT'] + '/health', timeout=4)"]
ENTRYPOINT ["tini", "--", "riskgraph-entrypoint"]
CMD ["serve"]

# The riskgraph API image (docker-compose.yml's "api" service). Neo4j runs in its own container.
FROM python:3.11-slim
WORKDIR /srv/riskgraph
COPY pyproject.toml README.md ./
COPY app ./app
COPY graph ./graph
COPY models ./models
COPY seed ./seed
COPY cypher ./cypher
COPY docs/domain ./docs/domain
RUN pip install --no-cache-dir -e . && useradd --system riskgraph
USER riskgraph
EXPOSE 8000
CMD ["sh", "-c", "riskgraph migrate && riskgraph serve"]

#!/bin/sh
# The image's entry point (under tini). `serve` (the default) applies pending migrations, then
# replaces this shell with the API, so SIGTERM from `docker stop` reaches uvicorn directly.
# Anything else runs as a riskgraph command, e.g. `demo-world --firms 20000 --seed 7`.
set -eu
if [ "${1:-serve}" = "serve" ]; then
  riskgraph migrate
  exec riskgraph "$@"
fi
exec riskgraph "$@"

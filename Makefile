# riskgraph: the two commands of the README are `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
LOCK   := requirements/ci.txt
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml setup.py $(LOCK) | sha256sum | cut -c1-12)
STATE  := .riskgraph
API_PID := $(STATE)/api.pid
API_LOG := $(STATE)/api.log
DEMO_FIRMS ?= 20000
DEMO_SEED  ?= 7
DEMO_WORLD := $(STATE)/worlds/demo-$(DEMO_FIRMS)-$(DEMO_SEED)

.PHONY: install test lint unit demo stop bench bench-tools clean

## Dependencies are pinned by $(LOCK) (the set CI tests; docs/packaging.md says how to refresh it).
$(STAMP): pyproject.toml setup.py $(LOCK)
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11+ is required"; exit 1; }
	@echo "Installing riskgraph and its dependencies into $(VENV) (a few minutes the first time) ..."
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --progress-bar on -c $(LOCK) --upgrade pip
	$(BIN)/pip install --progress-bar on -c $(LOCK) -e '.[dev]'
	@rm -f $(VENV)/.installed-*
	@touch $@

install: $(STAMP)

lint: install
	$(BIN)/ruff check app graph models seed riskgraph tests bench
	$(BIN)/mypy

## The whole suite against a real Neo4j (the tests start and stop their own instance).
test: install lint
	$(BIN)/pytest

## Start Neo4j; load, train, rank, write the model card, draw a plan and create the demo keys
## once each; serve the API in the background. A second `make demo` skips what is done.
demo: install
	@$(BIN)/riskgraph neo4j start
	@$(BIN)/riskgraph migrate
	@$(BIN)/riskgraph demo-world --firms $(DEMO_FIRMS) --seed $(DEMO_SEED) --dir $(DEMO_WORLD)
	@if [ -f $(API_PID) ] && kill -0 $$(cat $(API_PID)) 2>/dev/null; then \
	  echo "API already running (pid $$(cat $(API_PID)))"; \
	else \
	  nohup $(BIN)/riskgraph serve > $(API_LOG) 2>&1 & echo $$! > $(API_PID); \
	  echo "starting the API (log: $(API_LOG)) ..."; \
	  for i in $$(seq 1 60); do $(BIN)/python -c "import httpx,sys; sys.exit(httpx.get('http://127.0.0.1:'+'$${RISKGRAPH_API_PORT:-8000}'+'/health').status_code!=200)" 2>/dev/null && break; sleep 0.5; done; \
	fi
	@$(BIN)/riskgraph info

## Stop the API and Neo4j started by `make demo`.
## TERM, wait up to STOP_WAIT seconds (the API exits within its 10 s grace), then KILL; the
## pid file goes only once the process is gone.
STOP_WAIT ?= 15
stop:
	@if [ -f $(API_PID) ]; then pid=$$(cat $(API_PID)); \
	  if kill -0 $$pid 2>/dev/null; then \
	    kill -TERM $$pid 2>/dev/null; \
	    for i in $$(seq 1 $$(( $(STOP_WAIT) * 4 ))); do kill -0 $$pid 2>/dev/null || break; sleep 0.25; done; \
	    if kill -0 $$pid 2>/dev/null; then \
	      echo "API (pid $$pid) still running after $(STOP_WAIT) s: sending KILL"; kill -KILL $$pid 2>/dev/null; \
	      for i in $$(seq 1 20); do kill -0 $$pid 2>/dev/null || break; sleep 0.25; done; \
	    fi; \
	  fi; \
	  if kill -0 $$pid 2>/dev/null; then echo "API (pid $$pid) did not stop; pid file kept"; exit 1; fi; \
	  rm -f $(API_PID); echo "API stopped."; fi
	@if [ -x $(BIN)/riskgraph ]; then $(BIN)/riskgraph neo4j stop; fi

bench: install
	$(BIN)/python bench/bench_startup.py

## Tools the API benchmarks drive the server with (wrk, a Debian package; needs root).
bench-tools:
	@command -v wrk >/dev/null || { apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }

clean: stop
	rm -rf $(VENV) $(STATE) test-artifacts neo4j/target

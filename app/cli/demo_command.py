"""``riskgraph info`` (where everything is) and ``riskgraph demo-world`` (seed, load and train
once)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from riskgraph.app.cli.output import console
from riskgraph.app.cli.progress import phase
from riskgraph.graph.config import get_settings
from riskgraph.graph.store import Store


def info() -> None:
    """Say whether the API and Neo4j answer now, and print their addresses, the credentials
    file and how to stop; exit 1 when either is not running."""
    s = get_settings()
    api = f"http://{_client_host(s.riskgraph_api_host)}:{s.riskgraph_api_port}"
    password = (
        "NEO4J_PASSWORD (from your environment)" if s.neo4j_password else str(s.password_file)
    )
    api_up, api_state = _api_status(api)
    neo4j_up, neo4j_state = _neo4j_status()
    console.print(
        f"API: {api_state}\nNeo4j: {neo4j_state}\n"
        f"  GraphQL (GraphiQL): {api}/graphql\n"
        f"  Health:             {api}/health\n"
        f"  Neo4j Browser:      {s.http_url}/browser/  (connect to {s.bolt_uri})\n"
        f"  Neo4j user:         {s.neo4j_user}\n"
        f"  Neo4j password:     {password}\n"
        "Stop everything with `make stop` (or `riskgraph neo4j stop` for Neo4j alone).",
        highlight=False,
    )
    if not (api_up and neo4j_up):
        raise typer.Exit(1)


def _client_host(host: str) -> str:
    return "127.0.0.1" if host in ("0.0.0.0", "::") else host  # noqa: S104 - a listen address


def _api_status(api: str) -> tuple[bool, str]:
    """(answers, description) of the API's /health, asked now."""
    import httpx

    try:
        response = httpx.get(f"{api}/health", timeout=3)
    except httpx.HTTPError:
        return False, f"not running (nothing answers at {api}; start it with `riskgraph serve`)"
    if response.status_code == 200:
        return True, f"running at {api} (health ok)"
    return True, f"running at {api}, but /health says {response.status_code} (Neo4j unavailable)"


def _neo4j_status() -> tuple[bool, str]:
    """(running, description) of the graph database: the local server's process, or a
    connection to NEO4J_URI."""
    from riskgraph.graph.driver import connect
    from riskgraph.graph.errors import RiskgraphError
    from riskgraph.graph.runtime.server import LocalServer

    settings = get_settings()
    if settings.uses_local_server:
        pid = LocalServer(settings).pid()
        if pid is None:
            return False, "not running (start it with `riskgraph neo4j start`)"
        return True, f"running (local server, pid {pid})"
    try:
        connect(settings, wait=3).close()
    except RiskgraphError as exc:
        return False, f"not reachable ({exc.message})"
    return True, f"reachable at {settings.neo4j_uri}"


def demo_world(
    firms: Annotated[int, typer.Option(help="Firms in the demo world.")] = 20000,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 7,
    directory: Annotated[Path | None, typer.Option(
        "--dir", help="Where the world files go (default: worlds/demo under RISKGRAPH_HOME).")
    ] = None,
) -> None:
    """Seed, load, train, rank, write the model card, draw a plan and create the demo keys,
    each once (a step already done for the same data and model is skipped)."""
    if directory is None:
        directory = get_settings().riskgraph_home / "worlds" / "demo"
    try:
        from riskgraph.app.cli.connection import graph
        from riskgraph.graph.loader import load_world_once
        from riskgraph.seed.world import generate_world
    except ImportError:
        console.print("demo world: the generator or loader is not installed in this build; "
                      "the graph stays empty.")
        return
    if not (directory / "manifest.json").is_file():
        with phase(f"seeding a {firms:,}-firm world (seed {seed}) into {directory}"):
            generate_world(firms, seed, directory)
    with graph() as driver:
        report = load_world_once(driver, directory, get_settings().neo4j_database)
    if report is None:
        console.print(f"demo world {directory} is already loaded; nothing to do.")
    else:
        console.print(f"loaded the demo world: {report.elements:,} nodes + relationships in "
                      f"{report.seconds:.1f} s; {report.rejects} rejected row(s).")
    _train_once()
    ready = _rank_card_plan_once()
    keys = _demo_keys()
    console.print("[bold]The demo is ready[/]:\n"
                  f"  ranking run:  {ready['run']}\n"
                  f"  model card:   {ready['card']}\n"
                  f"  plan:         {ready['plan']}\n"
                  f"  API keys:     {keys} (one per role)")


def _train_once() -> None:
    """Train the risk model once, so `riskgraph rank` works on a fresh demo."""
    from riskgraph.app.cli.risk_commands import train

    if (get_settings().riskgraph_home / "models" / "LATEST").is_file():
        return
    with phase("training the risk model on the demo world (once)"):
        train(as_of=None, weighting="ipw", include_soft=False, features=None, outcomes=None)


def _rank_card_plan_once() -> dict[str, str]:
    """A complete ranking run of the current data with the latest model (reused when one
    exists), its model card and one inspection plan from it (reused when one exists)."""
    from riskgraph.app.cli.connection import graph
    from riskgraph.graph.driver import read
    from riskgraph.graph.snapshot import Snapshot
    from riskgraph.graph.store.data_date import data_date
    from riskgraph.graph.store.plans import inspector_names
    from riskgraph.graph.store.runs import list_runs, save_run
    from riskgraph.models.accountability.plan_export import write_plan_files
    from riskgraph.models.accountability.plan_store import plan_from_run, store_plan
    from riskgraph.models.accountability.planning import PlanParams
    from riskgraph.models.accountability.ranking import build_run, run_parameters
    from riskgraph.models.risk.artifact import load_artifact
    from riskgraph.models.risk.model_card import write_model_card
    from riskgraph.models.risk.scoring import score_snapshot

    settings = get_settings()
    home, db = settings.riskgraph_home, settings.neo4j_database
    art = load_artifact(home)
    with graph() as driver:
        store = Store.open(driver, db)
        snap = Snapshot.from_neo4j(driver, db)
        digest, when = snap.digest(), data_date(Store.open(driver, db))
        same = [r for r in list_runs(store, 50) if r["status"] == "complete"
                and r["model_version"] == art.version and r["data_snapshot_sha256"] == digest
                and r["as_of"] == when.isoformat()]
        if same:
            run_id = str(same[0]["run_id"])
            console.print(f"ranking run {run_id} already covers this data and model "
                          f"{art.version} (as of {when}); not ranking again.")
        else:
            with phase(f"ranking every firm as of {when} (model {art.version})"):
                sc = score_snapshot(snap, art, when, digest=digest)
                run = build_run(sc, run_parameters(sc))
                save_run(store, run, "make demo")
            run_id = run.run_id
        card = home / "models" / art.version / "MODEL_CARD.md"
        if not card.is_file():
            with phase("writing the model card"):
                card = write_model_card(snap, art, home)
        plans = read(driver, "planning/list_run_plans", db, run_id=run_id)
        if plans:
            plan_id = str(plans[0]["plan_id"])
            html_path = home / "plans" / f"{plan_id}.html"
            console.print(f"inspection plan {plan_id} already drawn from run {run_id}.")
        else:
            with phase("drawing an inspection plan (capacity 200, seed 1)"):
                params = PlanParams(capacity=200, seed=1)
                drawn, day = plan_from_run(store, run_id, params)
                plan_id = store_plan(store, run_id, drawn, day, "make demo")
                _, html_path = write_plan_files(
                    drawn, home / "plans" / f"{plan_id}.csv", plan_id=plan_id, run_id=run_id,
                    plan_date=day.isoformat(), inspector_names=inspector_names(store))
    return {"run": f"{run_id} (`riskgraph runs`, `riskgraph tiers USCC`)",
            "card": str(card), "plan": f"{plan_id}: {html_path} (and .csv)"}


def _demo_keys() -> str:
    from riskgraph.app.cli.connection import graph
    from riskgraph.app.security.demo_keys import ensure_demo_keys

    settings = get_settings()
    url = f"http://{settings.riskgraph_api_host}:{settings.riskgraph_api_port}/graphql"
    with graph() as driver:
        path, created = ensure_demo_keys(driver, settings.riskgraph_home, url,
                                         settings.neo4j_database)
    return f"{path} ({'created' if created else 'unchanged'})"

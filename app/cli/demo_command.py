"""``riskgraph info`` (where everything is) and ``riskgraph demo-world`` (seed, load and train
once)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from app.cli.output import console
from graph.config import get_settings


def info() -> None:
    """Print the GraphQL and Neo4j Browser addresses, the credentials file and how to stop."""
    s = get_settings()
    api = f"http://{s.riskgraph_api_host}:{s.riskgraph_api_port}"
    password = (
        "NEO4J_PASSWORD (from your environment)" if s.neo4j_password else str(s.password_file)
    )
    console.print(
        "riskgraph is running:\n"
        f"  GraphQL (GraphiQL): {api}/graphql\n"
        f"  Health:             {api}/health\n"
        f"  Neo4j Browser:      {s.http_url}/browser/  (connect to {s.bolt_uri})\n"
        f"  Neo4j user:         {s.neo4j_user}\n"
        f"  Neo4j password:     {password}\n"
        "Stop everything with `make stop` (or `riskgraph neo4j stop` for Neo4j alone)."
    )


def demo_world(
    firms: Annotated[int, typer.Option(help="Firms in the demo world.")] = 20000,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 7,
    directory: Annotated[Path, typer.Option("--dir", help="Where the world files go.")] = Path(
        ".riskgraph/worlds/demo"
    ),
) -> None:
    """Seed, load and train on the demo world once (each step is skipped when already done)."""
    try:
        from graph.loader import load_world_once
        from seed.world import generate_world
    except ImportError:
        console.print("demo world: the generator or loader is not installed in this build; "
                      "the graph stays empty.")
        return
    if not (directory / "manifest.json").is_file():
        console.print(f"seeding a {firms:,}-firm world (seed {seed}) into {directory} ...")
        generate_world(firms, seed, directory)
    report = load_world_once(directory)
    if report is None:
        console.print(f"demo world {directory} is already loaded; nothing to do.")
    else:
        console.print(f"loaded the demo world: {report.elements:,} nodes + relationships in "
                      f"{report.seconds:.1f} s; {report.rejects} rejected row(s).")
    _train_once()


def _train_once() -> None:
    """Train the risk model once, so `riskgraph rank` works on a fresh demo."""
    from app.cli.risk_commands import train

    if (get_settings().riskgraph_home / "models" / "LATEST").is_file():
        return
    console.print("training the risk model on the demo world (once) ...")
    train(as_of=None, weighting="ipw", include_soft=False, features=None, outcomes=None)

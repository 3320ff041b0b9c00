"""``riskgraph cardinal install``: build the OCP's Cardinal tool (for conformance checks)."""

from __future__ import annotations

import typer

from riskgraph.app.cli.output import console

app = typer.Typer(help="The Open Contracting Partnership's Cardinal red-flag tool.",
                  no_args_is_help=True)


@app.command("install")
def install() -> None:
    """Download the ocdscardinal sdist from PyPI and cargo-install it (skipped when built)."""
    from riskgraph.graph.runtime.cardinal import binary_path
    from riskgraph.graph.runtime.cardinal import install as build

    if binary_path().is_file():
        console.print(f"Cardinal already built: {binary_path()}")
        return
    console.print("building Cardinal (pip download + cargo install; several minutes)…")
    console.print(f"Cardinal built: {build(quiet=False)}")

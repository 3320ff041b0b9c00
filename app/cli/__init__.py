"""The ``riskgraph`` command line."""

from riskgraph.app.cli.main import app, main

__all__ = ["app", "main"]

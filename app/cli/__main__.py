"""`python -m riskgraph.app.cli` runs the riskgraph command line."""

from riskgraph.app.cli.main import main

main()

"""`python -m app.cli` runs the riskgraph command line."""

from app.cli.main import main

main()

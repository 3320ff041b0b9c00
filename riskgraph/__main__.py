"""``python -m riskgraph`` runs the riskgraph command line (the same as ``riskgraph``)."""

from riskgraph.app.cli.main import main

if __name__ == "__main__":
    main()

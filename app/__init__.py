"""riskgraph's application layer: the FastAPI app, GraphQL schema and command line."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("riskgraph")  # the one version source is pyproject.toml
except PackageNotFoundError:  # running from a checkout that was never installed
    __version__ = "0+unknown"

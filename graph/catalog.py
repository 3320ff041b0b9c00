"""The Cypher catalog: every statement lives in ``cypher/<name>.cypher`` and is loaded by name.

Values always travel as ``$parameters``; the files never contain user input.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable

from riskgraph.graph.errors import RiskgraphError

_PACKAGE = "riskgraph.cypher"


def _root() -> Traversable:
    return resources.files(_PACKAGE)


@cache
def query(name: str) -> str:
    """Return the statement stored as ``cypher/<name>.cypher`` (``name`` may contain ``/``)."""
    node = _file(name)
    if not node.is_file():
        raise RiskgraphError(f"no Cypher statement named {name!r} in the catalog")
    return node.read_text(encoding="utf-8")


def _file(name: str) -> Traversable:
    node = _root()
    *dirs, stem = name.split("/")
    for part in dirs:
        node = node / part
    return node / f"{stem}.cypher"


def names(folder: str = "") -> list[str]:
    """Names of the statements directly in ``cypher/<folder>``, sorted."""
    return list(_names(folder))


@cache
def _names(folder: str) -> tuple[str, ...]:
    """The catalog is package data, fixed while the process runs: listed once per folder
    (explanations ask for every evidence link, and a listing was a sixth of their time)."""
    node = _root()
    for part in filter(None, folder.split("/")):
        node = node / part
    prefix = f"{folder.strip('/')}/" if folder.strip("/") else ""
    return tuple(sorted(
        prefix + entry.name.removesuffix(".cypher")
        for entry in node.iterdir()
        if entry.is_file() and entry.name.endswith(".cypher")
    ))


def statements(text: str) -> list[str]:
    """Split a file of several statements at ``;`` line ends, dropping ``//`` comment lines."""
    body = "\n".join(
        line for line in text.splitlines() if not line.lstrip().startswith("//")
    )
    parts = (part.strip().rstrip(";").strip() for part in body.split(";\n"))
    return [part for part in parts if part]

"""Files riskgraph reads at run time, found through ``importlib.resources``.

An installed wheel carries them as package data: the domain tables (``docs/domain/*.csv``) as
``riskgraph.domain``, the Neo4j pom (``neo4j/pom.xml``) as ``riskgraph.neo4j`` (setup.py maps
both folders), the Cypher catalog and Browser style in ``riskgraph.cypher``, GraphiQL in
``riskgraph.app.static``.
Run from a checkout (editable install, ``PYTHONPATH``), the mapped packages may not import;
the same files are then read where the checkout keeps them.
"""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[1]
"""The folder holding this package: the checkout, or site-packages of an installed wheel."""

_FOLDERS = {"riskgraph.domain": CHECKOUT / "docs" / "domain",
            "riskgraph.neo4j": CHECKOUT / "neo4j"}


def _folder(package: str) -> Traversable:
    try:
        return resources.files(package)
    except ModuleNotFoundError:
        return _FOLDERS[package]


def domain_table(name: str) -> Traversable:
    """A table of the domain brief, e.g. ``pci_categories.csv``."""
    node = _folder("riskgraph.domain") / name
    if not node.is_file():
        raise FileNotFoundError(f"domain table {name} is missing from this installation "
                                "(docs/domain in a checkout, riskgraph/domain in a wheel)")
    return node


def neo4j_pom() -> Path:
    """The Maven pom that pins the Neo4j server, Browser and APOC versions (a real file:
    ``mvn`` reads it; a wheel is unpacked on install, so it is one there too)."""
    node = _folder("riskgraph.neo4j") / "pom.xml"
    path = Path(str(node))
    if not path.is_file():
        raise FileNotFoundError("neo4j/pom.xml is missing from this installation")
    return path


def is_checkout() -> bool:
    """True when running from a source checkout (not an installed wheel)."""
    return (CHECKOUT / "pyproject.toml").is_file() and (CHECKOUT / "neo4j" / "pom.xml").is_file()

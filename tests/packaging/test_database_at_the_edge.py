"""The database is chosen once at the edge (issue 17): the CLI from the settings when a command
opens its connection, the API from the app's settings at start-up; below that (``graph/``,
``models/``) it is passed down explicitly. Read with ast: no module of ``graph/`` or ``models/``
picks the database from ``get_settings()``, and no function there takes an optional
``database`` (a ``None`` default is a fall-back waiting to happen)."""

from __future__ import annotations

import ast

from tests.packaging.import_graph import project_modules

BELOW_THE_EDGE = ("riskgraph.graph", "riskgraph.models")

ALLOWED_SETTINGS_DATABASE = {
    "riskgraph.graph.config": "defines the setting",
    "riskgraph.graph.browser_links": "a Neo4j Browser URL (its ?db=), not a query; the link "
                                     "falls back to the settings for the whole server address",
}
"""Modules that may read ``neo4j_database`` off ``get_settings()``, and why."""

ALLOWED_OPTIONAL_DATABASE = {
    "riskgraph.graph.store.Store.connect": "an edge: opens its own driver from the Settings it "
                                           "is given and defaults to their database",
}
"""Functions that may take ``database=None``, and why."""


def _calls_get_settings(node: ast.AST) -> bool:
    return any(isinstance(n, ast.Call) and (
        (isinstance(n.func, ast.Name) and n.func.id == "get_settings")
        or (isinstance(n.func, ast.Attribute) and n.func.attr == "get_settings"))
        for n in ast.walk(node))


def settings_database_reads(tree: ast.AST) -> list[int]:
    """Lines reading ``neo4j_database`` off ``get_settings()``, directly
    (``get_settings().neo4j_database``, ``(s or get_settings()).neo4j_database``) or through a
    name bound to it (``cfg = get_settings()`` … ``cfg.neo4j_database``)."""
    bound = {t.id for n in ast.walk(tree) if isinstance(n, ast.Assign | ast.AnnAssign)
             and n.value is not None and _calls_get_settings(n.value)
             for t in (n.targets if isinstance(n, ast.Assign) else [n.target])
             if isinstance(t, ast.Name)}
    return sorted(n.lineno for n in ast.walk(tree)
                  if isinstance(n, ast.Attribute) and n.attr == "neo4j_database"
                  and (_calls_get_settings(n.value)
                       or (isinstance(n.value, ast.Name) and n.value.id in bound)))


def optional_database_params(tree: ast.AST, module: str) -> list[str]:
    """Qualified names of functions with a ``database`` parameter defaulting to ``None``."""
    found: list[str] = []

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef):
                visit(child, f"{prefix}.{child.name}")
            elif isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                a = child.args
                positional = a.posonlyargs + a.args
                pairs = list(zip(positional[len(positional) - len(a.defaults):], a.defaults,
                                 strict=True))
                pairs += [(p, d) for p, d in zip(a.kwonlyargs, a.kw_defaults, strict=True)
                          if d is not None]
                if any(p.arg == "database" and isinstance(d, ast.Constant) and d.value is None
                       for p, d in pairs):
                    found.append(f"{prefix}.{child.name}")
                visit(child, f"{prefix}.{child.name}")

    visit(tree, module)
    return found


def _below_the_edge() -> list[tuple[str, ast.AST]]:
    return [(name, ast.parse(path.read_text(encoding="utf-8")))
            for name, path in project_modules().items() if name.startswith(BELOW_THE_EDGE)]


def test_graph_and_models_never_pick_the_database_from_the_settings() -> None:
    offenders = [f"{name}:{line}" for name, tree in _below_the_edge()
                 if name not in ALLOWED_SETTINGS_DATABASE
                 for line in settings_database_reads(tree)]
    assert not offenders, ("the database is chosen at the edge (CLI, API start-up) and passed "
                           f"down; these read it from get_settings(): {offenders}")


def test_graph_and_models_take_a_required_database() -> None:
    offenders = [f for name, tree in _below_the_edge()
                 for f in optional_database_params(tree, name)
                 if f not in ALLOWED_OPTIONAL_DATABASE]
    assert not offenders, f"database=None (a fall-back below the edge) in: {offenders}"


def test_the_allow_lists_name_what_exists() -> None:
    modules = project_modules()
    assert set(ALLOWED_SETTINGS_DATABASE) <= set(modules)
    trees = dict(_below_the_edge())
    assert all(settings_database_reads(trees[m]) for m in ALLOWED_SETTINGS_DATABASE
               if m != "riskgraph.graph.config")
    assert {f for name, tree in trees.items() for f in optional_database_params(tree, name)
            } == set(ALLOWED_OPTIONAL_DATABASE)


def test_the_checks_find_a_fall_back() -> None:
    fall_back = ast.parse(
        "def read(driver, name, database: str | None = None):\n"
        "    return run(driver, name, database or get_settings().neo4j_database)\n"
        "class Store:\n"
        "    def open(cls, driver, *, database=None):\n"
        "        cfg = config.get_settings()\n"
        "        return cls(driver, database or cfg.neo4j_database)\n"
        "def link(settings=None):\n"
        "    return (settings or get_settings()).neo4j_database\n")
    assert settings_database_reads(fall_back) == [2, 6, 8]
    assert optional_database_params(fall_back, "m") == ["m.read", "m.Store.open"]
    explicit = ast.parse(
        "def read(driver, name, database: str):\n"
        "    return run(driver, name, database)\n"
        "def load(settings, database=''):\n"
        "    return settings.neo4j_database, get_settings().riskgraph_home\n")
    assert settings_database_reads(explicit) == []
    assert optional_database_params(explicit, "m") == []

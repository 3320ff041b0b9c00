"""The direction of imports (issue 17, docs/architecture.md): no import circle except the
feature plug-in registry, no ``neo4j`` import outside ``graph/``, and project imports inside
functions only at the CLI boundary of ``app/`` (start-up time) and in the feature registry's
plug-in loader, imports running one way."""

from __future__ import annotations

import ast

from tests.packaging.import_graph import (
    ROOT,
    cycles,
    edges,
    in_function_imports,
    project_modules,
)

ALLOWED_CYCLES = [
    # the feature registry: features/__init__ imports each family module, which registers its
    # features with @feature from features.registry (a plug-in pattern)
    "riskgraph.models.risk.features",
]
"""Packages whose modules may import one another in a circle."""

def _allowed(component: list[str]) -> bool:
    return any(all(m == p or m.startswith(p + ".") for m in component) for p in ALLOWED_CYCLES)


def test_no_import_circle_outside_the_feature_registry() -> None:
    found = [c for c in cycles(edges()) if not _allowed(c)]
    assert not found, "import circles:\n" + "\n".join(" -> ".join(c) for c in found)


def test_the_cycle_finder_finds_a_circle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_neo4j_is_imported_only_in_graph() -> None:
    offenders = []
    for name, path in project_modules().items():
        if name.startswith("riskgraph.graph"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            mods = ([a.name for a in node.names] if isinstance(node, ast.Import)
                    else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            offenders += [f"{path.relative_to(ROOT)}:{node.lineno}"
                          for m in mods if m == "neo4j" or m.startswith("neo4j.")]
    assert not offenders, offenders


CLI_BOUNDARY = ("riskgraph.app.cli.", "riskgraph.app.main")
"""Where app/ may import inside functions: CLI commands (each imports what it needs when it
runs, so `riskgraph --help` stays fast) and the API's start-up hooks in app/main.py."""


def test_app_imports_sit_at_module_level_except_at_the_cli_boundary() -> None:
    inside = [f"{m}:{line} imports {t}" for m, line, t in in_function_imports("app")
              if not m.startswith(CLI_BOUNDARY)]
    assert not inside, inside


PLUG_IN_LOADER = "riskgraph.models.risk.features.registry"
"""The one module of graph/ and models/ that imports inside a function: ``_load`` imports the
feature family modules, which register themselves with ``@feature`` (the plug-in circle)."""


def test_graph_and_models_imports_sit_at_module_level() -> None:
    inside = [f"{m}:{line} imports {t}" for package in ("graph", "models")
              for m, line, t in in_function_imports(package)
              if not (m == PLUG_IN_LOADER and t.startswith("riskgraph.models.risk.features."))]
    assert not inside, inside


LAYERS = {"riskgraph.graph": ("riskgraph.models", "riskgraph.app", "riskgraph.seed"),
          "riskgraph.models": ("riskgraph.app",),
          "riskgraph.seed": ("riskgraph.app", "riskgraph.models")}
"""Each package → the packages it must not import (arrows run app → models → graph)."""


def test_imports_run_one_way() -> None:
    back = [f"{a} imports {b}" for a, found in edges().items() for b in sorted(found)
            for layer, above in LAYERS.items()
            if a.startswith(layer + ".") and b.startswith(above)]
    assert not back, back

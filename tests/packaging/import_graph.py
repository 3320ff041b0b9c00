"""The project's import graph, read with ast (no module is imported): an edge per project
import, at module level or inside a function; imports under ``if TYPE_CHECKING:`` are left out
(they never run)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("app", "graph", "models", "seed", "cypher")
PREFIX = "riskgraph."


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return PREFIX + ".".join(parts)


def project_modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            found[module_name(path)] = path
    return found


def _type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(tree: ast.AST) -> Iterator[tuple[ast.ImportFrom | ast.Import, bool]]:
    """Each import with whether it sits inside a function."""

    def walk(node: ast.AST, in_function: bool) -> Iterator[tuple[ast.ImportFrom | ast.Import,
                                                               bool]]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _type_checking(child):
                yield from (pair for other in child.orelse for pair in walk(other, in_function))
                continue
            if isinstance(child, (ast.Import, ast.ImportFrom)):
                yield child, in_function
            inner = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef,
                                                      ast.Lambda))
            yield from walk(child, inner)

    yield from walk(tree, False)


def targets(node: ast.Import | ast.ImportFrom, modules: dict[str, Path]) -> set[str]:
    """The project modules an import statement names: ``from pkg import sub`` names the
    submodule only, not the package (Python initialises a package before any of its modules
    whatever the code says, so ``pkg/__init__`` re-exporting ``pkg.sub`` while ``pkg.sub``
    imports a sibling is no circle of the code's making)."""
    names: set[str] = set()
    if isinstance(node, ast.Import):
        names = {alias.name for alias in node.names}
    elif node.module and node.level == 0:
        subs = {f"{node.module}.{alias.name}" for alias in node.names}
        found = {name for name in subs if name in modules}
        names = found if len(found) == len(subs) else found | {node.module}
    return {name for name in names if name in modules}


def edges(in_functions: bool = True) -> dict[str, set[str]]:
    """module → the project modules it imports (in-function imports too unless told)."""
    modules = project_modules()
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node, inside in _imports(tree):
            if inside and not in_functions:
                continue
            graph[name] |= targets(node, modules) - {name}
    return graph


def in_function_imports(package: str) -> list[tuple[str, int, str]]:
    """(module, line, imported module) of every project import inside a function."""
    modules = project_modules()
    found: list[tuple[str, int, str]] = []
    for name, path in modules.items():
        if not name.startswith(PREFIX + package):
            continue
        for node, inside in _imports(ast.parse(path.read_text(encoding="utf-8"))):
            if inside:
                found += [(name, node.lineno, t) for t in sorted(targets(node, modules))]
    return found


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0

    def visit(start: str) -> None:
        nonlocal counter
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))

    for name in sorted(graph):
        if name not in index:
            visit(name)
    return found

"""Every statement name used in Python resolves to a ``cypher/**/*.cypher`` file, and every file
is used (issue 17). Read with ast, without importing the code.

A use is a string literal naming a statement (``"audit/get_audit_head"``). Three kinds of name
are built, and each is handled here explicitly:

- short names behind a prefixing helper: a literal ``"get_companies"`` in ``app/graphql`` is
  ``api/get_companies`` (``GraphReader.read`` adds ``api/``); a literal ``"list_companies"`` in
  ``graph/snapshot.py`` is ``snapshot/list_companies`` (``Snapshot.from_neo4j`` adds it);
- f-strings (``f"search_companies{suffix}"``, ``f"load/merge_{snake(label)}"``): each one in
  the code must be listed in :data:`BUILT` with the names it can build, and those names must
  be files (a new f-string fails the test until it is listed);
- folders read whole by listing: the migrations (``schema/``) and the saved Browser queries
  (``browser/``, packed for Neo4j Browser).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from riskgraph.graph.loader import snake
from riskgraph.graph.schema import RELS, Label, Rel

ROOT = Path(__file__).resolve().parents[2]
CYPHER = ROOT / "cypher"
SOURCES = ("app", "graph", "models", "seed", "bench")
FILES = {str(p.relative_to(CYPHER).with_suffix("")) for p in CYPHER.rglob("*.cypher")}
FOLDERS = {name.split("/")[0] for name in FILES if "/" in name}

PREFIXED = {"api/": ("app/graphql/",), "snapshot/": ("graph/snapshot.py",)}
"""Short names: the folder a helper adds → the source paths where bare literals get it."""

READ_WHOLE = {"schema/": ("graph/migrations.py", 'names("schema")'),
              "browser/": ("graph/browser_pack.py", "names(FOLDER)")}
"""Folders listed with ``catalog.names`` → (a module that lists it, the call there)."""


def _node_names() -> set[str]:
    """graph/loader.py: one merge statement per node label."""
    return {f"load/merge_{snake(label.value)}" for label in Label}


def _rel_names() -> set[str]:
    """graph/loader.py rel_statement: per relationship type, per source label when several."""
    return {f"load/merge_{rel.value.lower()}" + (f"_from_{snake(src.value)}"
                                                 if RELS[rel].polymorphic_src else "")
            for rel in Rel for src in RELS[rel].src}


BUILT: dict[tuple[str, str], set[str]] = {
    ("app/graphql/registry/resolvers.py", "search_companies*"):
        {"api/search_companies", "api/search_companies_by_name"},
    ("app/graphql/registry/resolvers.py", "count_companies*"):
        {"api/count_companies", "api/count_companies_by_name"},
    ("app/graphql/registry/resolvers.py", "search_persons*"):
        {"api/search_persons", "api/search_persons_by_name"},
    ("app/graphql/registry/resolvers.py", "count_persons*"):
        {"api/count_persons", "api/count_persons_by_name"},
    ("app/graphql/db.py", "api/*"): set(),  # the prefixing helper itself (PREFIXED)
    ("graph/snapshot.py", "snapshot/*"): set(),  # the prefixing helper itself (PREFIXED)
    ("graph/loader.py", "load/merge_*"): _node_names(),
    ("graph/loader.py", "load/merge_**"): _rel_names(),
    ("graph/store/procurement.py", "screens/cartel_linked_pairs*"):  # + "" or "_no_family"
        {"screens/cartel_linked_pairs", "screens/cartel_linked_pairs_no_family",
         "screens/cartel_linked_pairs_resolved", "screens/cartel_linked_pairs_no_family_resolved"},
    ("graph/browser_links.py", "browser/*"): set(),  # looks a given name up (READ_WHOLE)
    ("graph/browser_pack.py", "*/*"): set(),  # FOLDER/short: the browser folder (READ_WHOLE)
}
"""Every f-string that builds a statement name: (file, its shape) → the names it builds."""


def _sources() -> list[Path]:
    return [p for folder in SOURCES for p in sorted((ROOT / folder).rglob("*.py"))]


def _shape(node: ast.JoinedStr) -> str:
    return "".join(v.value if isinstance(v, ast.Constant) else "*" for v in node.values)


def _strings(path: Path) -> tuple[set[str], set[str]]:
    """(string literals, shapes of built names) in a module: an f-string's shape has ``*`` for
    each value; ``"folder/name" + ...`` is ``folder/name*``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    literals: set[str] = set()
    shapes: set[str] = set()
    specs = {id(node.format_spec) for node in ast.walk(tree)
             if isinstance(node, ast.FormattedValue) and node.format_spec is not None}
    inside: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr) and id(node) not in specs:
            shapes.add(_shape(node))
            inside |= {id(v) for v in node.values}
        if (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add)
                and isinstance(node.left, ast.Constant) and isinstance(node.left.value, str)
                and _statement_like(node.left.value)):
            shapes.add(node.left.value + "*")
    for node in ast.walk(tree):
        if (isinstance(node, ast.Constant) and isinstance(node.value, str)
                and id(node) not in inside):
            literals.add(node.value)
    return literals, shapes


def _statement_like(text: str) -> bool:
    return bool(re.fullmatch(r"[a-z_]+/[a-z0-9_/]+", text)) and text.split("/")[0] in FOLDERS


def _uses() -> tuple[set[str], list[str]]:
    """(statement names used, problems)."""
    used: set[str] = set()
    problems: list[str] = []
    for path in _sources():
        rel = str(path.relative_to(ROOT))
        literals, shapes = _strings(path)
        for text in literals:
            if text in FILES:
                used.add(text)
            elif _statement_like(text):
                problems.append(f"{rel}: {text!r} names no cypher/{text}.cypher")
            for prefix, where in PREFIXED.items():
                if rel.startswith(where) and f"{prefix}{text}" in FILES:
                    used.add(f"{prefix}{text}")
        for shape in shapes:
            prefixed = next((p for p in PREFIXED if rel.startswith(PREFIXED[p])), "")
            head = shape.split("*")[0]
            if not ((head.split("/")[0] in FOLDERS and "/" in head)
                    or (prefixed and f"{prefixed}{head}" in {n[:len(prefixed) + len(head)]
                                                             for n in FILES} and head)):
                continue
            built = BUILT.get((rel, shape))
            if built is None:
                problems.append(f"{rel}: f-string {shape!r} builds statement names; list it "
                                f"in BUILT with the names it builds")
                continue
            missing = built - FILES
            problems += [f"{rel}: {shape!r} builds {name!r}, which is no file"
                         for name in sorted(missing)]
            used |= built
    return used, problems


def test_every_statement_name_in_python_resolves_to_a_file() -> None:
    _, problems = _uses()
    assert not problems, "\n".join(problems)


def test_every_built_name_shape_is_still_in_the_code() -> None:
    shapes = {(str(p.relative_to(ROOT)), s) for p in _sources() for s in _strings(p)[1]}
    assert set(BUILT) <= shapes, sorted(set(BUILT) - shapes)


def test_every_statement_file_is_used() -> None:
    used, _ = _uses()
    for folder, (lister, call) in READ_WHOLE.items():
        text = (ROOT / lister).read_text(encoding="utf-8")
        assert call in text, f"{lister} no longer lists {folder}"
        used |= {name for name in FILES if name.startswith(folder)}
    unused = sorted(FILES - used)
    assert not unused, f"statement files no Python code names: {unused}"

"""Every project import goes through the one installed name, ``riskgraph`` (docs/packaging.md).

The design's folders (``app``, ``graph``, ``models``, ``seed``, ``cypher``) stay at the top of the
checkout, but a wheel installs them only as ``riskgraph.app`` … so that they cannot collide with
other projects' packages of the same names. An import of a bare folder name works in a checkout
(its root is on ``sys.path``) and breaks in an installed wheel; this test finds one before a user
does, in the product, the tests and the benchmarks.
"""

from __future__ import annotations

import ast
from pathlib import Path

from riskgraph.graph.config import PROJECT_ROOT

FOLDERS = ("app", "graph", "models", "seed", "cypher")
SCANNED = (*FOLDERS, "riskgraph", "tests", "bench")


def _bare_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found += [f"{path.relative_to(PROJECT_ROOT)}:{node.lineno} imports {name}"
                  for name in names if name.split(".")[0] in FOLDERS]
    return found


def test_no_import_names_a_bare_top_level_folder() -> None:
    files = [p for top in SCANNED for p in (PROJECT_ROOT / top).rglob("*.py")
             if not (PROJECT_ROOT / top).is_symlink() and ".venv" not in p.parts]
    assert len(files) > 200, "the scan found too few files to be meaningful"
    bad = [line for path in files for line in _bare_imports(path)]
    assert not bad, "import through riskgraph.<folder> instead:\n" + "\n".join(bad)


def test_each_folder_is_linked_under_the_namespace() -> None:
    for folder in FOLDERS:
        link = PROJECT_ROOT / "riskgraph" / folder
        assert link.is_symlink() and link.resolve() == (PROJECT_ROOT / folder).resolve(), link

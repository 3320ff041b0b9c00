"""The query catalog: every statement is a file, documented, parameterised."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from riskgraph.graph.catalog import names, query, statements
from riskgraph.graph.config import PROJECT_ROOT
from riskgraph.graph.errors import RiskgraphError

CYPHER = PROJECT_ROOT / "cypher"
ALL = sorted(
    str(p.relative_to(CYPHER).with_suffix("")) for p in CYPHER.rglob("*.cypher")
)


@pytest.mark.parametrize("name", ALL)
def test_every_statement_loads_and_documents_itself(name: str) -> None:
    text = query(name)
    assert text.lstrip().startswith("//"), f"{name}.cypher needs a header comment"


def test_unknown_statement_is_a_clear_error() -> None:
    with pytest.raises(RiskgraphError, match="no Cypher statement named 'nope'"):
        query("nope")


def test_schema_folder_lists_migrations_in_order() -> None:
    found = names("schema")
    assert found == sorted(found) and found[0].startswith("schema/000_")


def test_statements_split_on_semicolons_and_skip_comments() -> None:
    text = "// head\nCREATE A;\n// mid\nCREATE B;\n"
    assert statements(text) == ["CREATE A", "CREATE B"]


def test_python_code_builds_no_cypher_from_fstrings() -> None:
    pattern = re.compile(r"""(execute_query|\.run)\(\s*f["']""")
    offenders = [
        str(path.relative_to(PROJECT_ROOT))
        for package in ("app", "graph", "models", "seed")
        for path in Path(PROJECT_ROOT / package).rglob("*.py")
        if pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []

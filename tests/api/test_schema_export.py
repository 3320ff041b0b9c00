"""docs/schema.graphql is the schema the API serves (issue 19, item 4): regenerate it with
``python -m riskgraph.app.graphql.export_schema`` after changing a type."""

from __future__ import annotations

from riskgraph.app.graphql.export_schema import EXPORT, schema_sdl


def test_the_exported_schema_is_current() -> None:
    assert EXPORT.is_file(), "run: python -m riskgraph.app.graphql.export_schema"
    assert EXPORT.read_text(encoding="utf-8") == schema_sdl(), (
        "docs/schema.graphql is stale: run python -m riskgraph.app.graphql.export_schema")


def test_deprecated_fields_say_what_replaces_them() -> None:
    sdl = schema_sdl()
    for old, new in (("phoenixCandidates", "phoenixFirms"), ("runs", "rankingRuns"),
                     ("inspectionTargets", "targets")):
        line = next(x for x in sdl.splitlines() if x.strip().startswith(f"{old}("))
        assert f'@deprecated(reason: "Use {new}' in line, line

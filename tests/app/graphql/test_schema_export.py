"""docs/schema.graphql is the schema the API serves (issue 19, item 4): regenerate it with
``python -m riskgraph.app.graphql.export_schema`` after changing a type."""

from __future__ import annotations

from pathlib import Path

import pytest

from riskgraph.app.graphql.export_schema import EXPORT, main, schema_sdl
from riskgraph.app.graphql.schema import schema


def test_the_exported_schema_is_current() -> None:
    assert EXPORT.is_file(), "run: python -m riskgraph.app.graphql.export_schema"
    assert EXPORT.read_text(encoding="utf-8") == schema_sdl(), (
        "docs/schema.graphql is stale: run python -m riskgraph.app.graphql.export_schema")


def test_deprecated_fields_say_what_replaces_them() -> None:
    query = schema._schema.query_type
    mutation = schema._schema.mutation_type
    assert query is not None and mutation is not None
    for fields, old, new in (
            (query.fields, "phoenixCandidates", "phoenixFirms"),
            (query.fields, "runs", "rankingRuns"),
            (query.fields, "inspectionTargets", "targets"),
            (mutation.fields, "recordInspectionOutcome", "recordOutcome"),
            (mutation.fields, "fileObjection", "createObjection"),
            (mutation.fields, "transitionObjection", "moveObjection"),
            (mutation.fields, "addCreditRecord", "createCreditRecord"),
            (mutation.fields, "triggerRankingRun", "createRankingRun"),
            (mutation.fields, "judgeMatch", "createMatchJudgement")):
        reason = fields[old].deprecation_reason or ""
        assert reason.startswith(f"Use {new} "), (old, reason)
        assert new in fields and fields[new].deprecation_reason is None
    sdl = schema_sdl()
    assert '@deprecated(reason: "Use riskTier (an enum); removed in 0.3.")' in sdl


def test_export_help_writes_no_file(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as stop:
        main(["--help"])
    assert stop.value.code == 0 and "usage:" in capsys.readouterr().out
    assert list(tmp_path.iterdir()) == []
    main([str(tmp_path / "out.graphql")])
    assert (tmp_path / "out.graphql").read_text(encoding="utf-8") == schema_sdl()

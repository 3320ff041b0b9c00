"""The GraphQL enums are the product's vocabularies (issue 19, item 3): each one's values are
exactly its source's, and a type built from a model dataclass keeps the dataclass's fields."""

import dataclasses

import pytest
import strawberry
from strawberry.types.base import get_object_definition

from riskgraph.app.graphql.accountability.types import Objection
from riskgraph.app.graphql.common import enums
from riskgraph.app.graphql.common.fields import field_descriptions
from riskgraph.app.graphql.resolution.types import MatchJudgement, MatchVerdict
from riskgraph.app.graphql.risk.types import Counterfactual, Evidence, Reason
from riskgraph.app.graphql.screens.types import RedFlag
from riskgraph.graph import schema as graph_schema
from riskgraph.graph.identifiers import BUILTIN_SCHEMES
from riskgraph.graph.store import objections as stored
from riskgraph.graph.store.resolution import Judgement
from riskgraph.models.accountability.objections import STATES
from riskgraph.models.risk import explain as engine
from riskgraph.models.risk.tiers import TIERS
from riskgraph.models.screens.redflag_flag import Flag


@pytest.mark.parametrize(("enum", "source"), [
    (enums.RiskTier, TIERS),
    (enums.ObjectionState, STATES),
    (enums.RecordKind, tuple(graph_schema.RECORD_KINDS)),
    (enums.PciCategory, graph_schema.pci_categories()),
    (enums.DisclosureClass, tuple(d.value for d in graph_schema.Disclosure)),
    (enums.InspectionStreamEnum, tuple(s.value for s in graph_schema.InspectionStream)),
    (enums.InspectionOutcomeEnum, tuple(o.value for o in graph_schema.InspectionOutcome)),
    (enums.IdentifierScheme, (*BUILTIN_SCHEMES, enums.NAMESPACE)),
])
def test_each_enum_has_exactly_its_sources_values(enum: type, source: tuple[str, ...]) -> None:
    assert tuple(m.value for m in enum) == tuple(source)
    assert all(m.name == m.value.upper().replace("-", "_") for m in enum)


def test_member_reads_a_stored_value_and_tolerates_an_unknown_one() -> None:
    assert enums.member(enums.RiskTier, "high") is enums.RiskTier.HIGH
    assert enums.member(enums.RiskTier, "severe") is None
    assert enums.member(enums.RiskTier, None) is None


@pytest.mark.parametrize(("graphql_type", "model"), [
    (Objection, stored.Objection), (Evidence, engine.Evidence), (Reason, engine.Reason),
    (Counterfactual, engine.Counterfactual), (MatchJudgement, Judgement), (RedFlag, Flag)])
def test_types_built_from_dataclasses_carry_every_model_field(graphql_type: type,
                                                              model: type) -> None:
    fields = {f.python_name: f for f in get_object_definition(graphql_type, strict=True).fields}
    for model_field in dataclasses.fields(model):
        assert model_field.name in fields, model_field.name
        assert fields[model_field.name].description, model_field.name


def test_a_stored_judgement_and_a_screen_flag_become_their_graphql_types() -> None:
    j = Judgement(judgement_id="jdg-1", pair_id="a|b", kind="company", a="a", b="b",
                  verdict="not_same", note="two firms", actor="api:k", at="2026-01-02T03:04:05")
    got = MatchJudgement.of(j)
    assert got.kind is enums.ResolutionKind("company") and got.verdict is MatchVerdict.NOT_SAME
    assert (got.judgement_id, got.a, got.b, got.note, got.at) == (j.judgement_id, "a", "b",
                                                                  "two firms", j.at)
    flag = Flag("R028", "Tenderer", "firm-1", 1.0, "t-9", evidence={"identical_prices": []})
    red = RedFlag.of(flag)
    assert all(getattr(red, f.name) == getattr(flag, f.name) for f in dataclasses.fields(Flag))
    assert red.title == "identical bid prices" and "t-9" in red.cypher()


def test_field_descriptions_refuses_a_name_the_type_does_not_have() -> None:
    with pytest.raises(TypeError, match="no fields"):
        @field_descriptions({"renamed": "gone"})
        @strawberry.type
        class Thing:
            kept: str

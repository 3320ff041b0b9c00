"""Domain errors name inputs by parameter (the API's input paths); the CLI tells them by flag."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from riskgraph.app.cli.flags import flag_of, named_by_flags
from riskgraph.graph.errors import BadInput, NotFound, RiskgraphError
from riskgraph.models.accountability.objections import transition


def test_the_flag_of_a_field_is_its_entry_or_its_hyphenated_name() -> None:
    with pytest.raises(BadInput, match=r"^every transition needs a reason \(--reason\)$"), \
            named_by_flags(to_state="--to"):
        transition(None, "OBJ-1", "accepted", actor="x", reason=" ")  # type: ignore[arg-type]
    with pytest.raises(BadInput, match=r"\(--to\)$"), named_by_flags(to_state="--to"):
        transition(None, "OBJ-1", "sideways", actor="x", reason="r")  # type: ignore[arg-type]


def test_problems_name_each_flag_once_and_an_error_about_no_input_is_unchanged() -> None:
    err = BadInput("two problems", problems=(("record_id", "a"), ("on", "b"), ("on", "c")))
    with pytest.raises(BadInput, match=r"^two problems \(--record / --date\)$"), \
            named_by_flags(record_id="--record", on="--date"):
        raise err
    with pytest.raises(NotFound, match=r"^no such plan$"), named_by_flags(plan_id="--plan"):
        raise NotFound("no such plan")


def test_the_domain_messages_carry_no_cli_flag() -> None:
    """What API clients read: the model's own words, the field in the error's path."""
    with pytest.raises(BadInput) as caught:
        transition(None, "OBJ-1", "accepted", actor="x", reason="")  # type: ignore[arg-type]
    assert "--" not in caught.value.message and caught.value.field == "reason"


@given(field=st.from_regex(r"[a-z][a-z0-9_]{0,20}", fullmatch=True),
       message=st.text(min_size=1, max_size=60))
def test_any_field_is_named_after_the_unchanged_message(field: str, message: str) -> None:
    with pytest.raises(RiskgraphError) as caught, named_by_flags():
        raise BadInput(message, field=field)
    assert caught.value.message == f"{message} ({flag_of(field, {})})"
    assert flag_of(field, {}) == "--" + field.replace("_", "-")
    assert caught.value.code is BadInput.code and caught.value.field == field

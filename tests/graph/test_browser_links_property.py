"""Evidence links are built from parts quoted once (graph/browser_links.py): for any parameters
they are the links the whole-address construction gives, and bad parameters are refused."""

from __future__ import annotations

import base64
import json
from typing import Any
from urllib.parse import quote, unquote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from riskgraph.graph.browser_links import (
    browser_link,
    browser_text,
    encode_params,
    params_command,
)
from riskgraph.graph.config import Settings
from riskgraph.graph.errors import BadInput

CFG = Settings(riskgraph_neo4j_bolt_port=17687, riskgraph_neo4j_http_port=17474,
               riskgraph_api_port=17000)
NAMES = ("explain/show_records", "explain/get_company", "browser/find_firm")

scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12),
                    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=20))
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=5), inner, max_size=3)),
    max_leaves=8)
params = st.dictionaries(st.from_regex(r"[a-z_][a-z0-9_]{0,8}", fullmatch=True), values,
                         max_size=4)


def whole_address(name: str, given: dict[str, Any]) -> str:
    """The play link as one string quoted at the end (the construction before the parts)."""
    connect = f"?dbms={quote(CFG.bolt_uri, safe='')}&db={quote(CFG.neo4j_database, safe='')}"
    page = (f"http://localhost:{CFG.riskgraph_api_port}/browser-guide/evidence/{name}"
            f"?p={encode_params(given)}")
    return f"{CFG.http_url}/browser/{connect}&cmd=play&arg={quote(page, safe=':/?=')}"


@settings(max_examples=200, deadline=None)
@given(name=st.sampled_from(NAMES), given=params)
def test_a_play_link_is_the_whole_address_quoted(name: str, given: dict[str, Any]) -> None:
    link = browser_link(name, given, settings=CFG)
    assert link == whole_address(name, given)
    token = link.rsplit("p%3D", 1)[-1] if "p%3D" in link else link.rsplit("p=", 1)[-1]
    decoded = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    assert decoded == json.loads(json.dumps(given))


@settings(max_examples=100, deadline=None)
@given(given=params)
def test_an_edit_link_carries_the_editor_text(given: dict[str, Any]) -> None:
    link = browser_link("explain/show_records", given, settings=CFG, play=False)
    head, arg = link.split("&cmd=edit&arg=")
    assert head == whole_address("x", {}).split("&cmd=play")[0]
    assert unquote(arg) == browser_text("explain/show_records", given)
    assert unquote(arg).startswith(f"{params_command(given)};\n" if given else "MATCH")


@pytest.mark.parametrize("bad", [{"not a name": 1}, {"ok": object()}, {"ok": [1, {2}]}])
def test_bad_parameters_are_refused_with_their_name(bad: dict[str, Any]) -> None:
    with pytest.raises(BadInput, match="parameter"):
        browser_link("explain/show_records", bad, settings=CFG)

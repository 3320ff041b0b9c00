"""The Browser pack without a browser: saved queries, guide, style sheet, links and routes."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from typing import Any
from urllib.parse import unquote

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from neo4j import Driver

from riskgraph.app.browser_guide import GUIDE_PATH, STYLE_PATH, router
from riskgraph.graph.browser_links import (
    browser_link,
    browser_text,
    decode_params,
    encode_params,
    statement_text,
)
from riskgraph.graph.browser_pack import (
    GUIDE_ORDER,
    SavedQuery,
    guide_html,
    parse,
    saved_queries,
    saved_query,
    style_grass,
)
from riskgraph.graph.catalog import query
from riskgraph.graph.config import Settings
from riskgraph.graph.errors import BadInput, NotFound
from riskgraph.graph.schema import Label, category_label, pci_categories
from tests.browser.conftest import TinyWorld


def _browser_arg(url: str) -> str:
    """What Browser 5.24 puts in the editor for ``?cmd=edit&arg=...`` (its own algorithm:
    replace ``+`` by a space, URL-decode the whole address, then read every ``arg=``)."""
    decoded = unquote(url.replace("+", " "))
    return "\n".join(re.findall(r"[?&]arg=([^&#]*)", decoded))


def _grass_rules(text: str) -> dict[str, dict[str, str]]:
    """Parse GraSS with Browser 5.24's own algorithm (parseGrass: a quote-aware brace scanner)."""
    in_quote = in_rule = nested = False
    selector = body = ""
    raw: dict[str, str] = {}
    for ch in text:
        special = True
        if ch == "{":
            if in_quote:
                special = False
            elif in_rule:
                nested = True
            else:
                in_rule = True
        elif ch == "}":
            if in_quote:
                special = False
            elif nested:
                nested = False
            else:
                in_rule = False
                raw[selector], selector, body = body, "", ""
        elif ch in "'\"":
            in_quote = not in_quote
        else:
            special = False
        if not special:
            if in_rule:
                body += ch
            elif not ch.isspace():
                selector += ch
    rules: dict[str, dict[str, str]] = {}
    for sel, rule_body in raw.items():
        rules[sel] = {}
        for item in rule_body.split(";"):
            parts = item.split(":")
            if len(parts) == 2:
                rules[sel][parts[0].strip()] = parts[1].strip()
    return rules


def _params(driver: Driver, q: SavedQuery) -> dict[str, Any]:
    """Evaluate the header's ``:param name => expression`` lines as Browser does (RETURN expr)."""
    values = {}
    for command, name in zip(q.param_commands, q.param_names, strict=True):
        expression = command.split("=>", 1)[1].strip()
        records, _, _ = driver.execute_query(f"RETURN {expression} AS value")
        values[name] = records[0]["value"]
    return values


# -- saved queries and guide --------------------------------------------------------------------

def test_every_saved_query_has_a_header_and_a_guide_slide() -> None:
    queries = saved_queries()
    assert [q.name for q in queries] == list(GUIDE_ORDER)
    page = guide_html("http://localhost:1/style.grass")
    assert page.count("<slide ") == len(queries) + 1
    for q in queries:
        assert q.param_commands and q.title and q.about
        assert q.body.split("\n", 1)[0] in page.replace("&gt;", ">").replace("&lt;", "<")
        assert q.title in page


def test_header_problems_are_named() -> None:
    with pytest.raises(BadInput, match=r"x\.cypher: parameter\(s\) uscc used but not declared"):
        parse("x", "// T\n// about\n// :param name => 'a'\nMATCH (c {uscc: $uscc, n: $name}) "
                   "RETURN c")
    with pytest.raises(BadInput, match="declared but not used"):
        parse("x", "// T\n// about\n// :param uscc => 'a'\nRETURN 1")
    with pytest.raises(BadInput, match="comment header"):
        parse("x", "MATCH (n) RETURN n")
    with pytest.raises(NotFound, match="no saved Browser query 'nope'"):
        saved_query("nope")


def test_style_gives_every_label_a_colour_and_a_caption() -> None:
    rules = _grass_rules(style_grass())
    labels = [str(label) for label in Label] + [category_label(c) for c in pci_categories()]
    for label in labels:
        rule = rules.get(f"node.{label}")
        assert rule is not None, f"no style for :{label}"
        assert re.fullmatch(r"#[0-9A-Fa-f]{6}", rule.get("color", "")), label
        assert re.fullmatch(r"\{\w+\}|<id>|<type>", rule.get("caption", "")), label
    assert "/*" not in style_grass(), "Browser's GraSS parser has no comments"


# -- links ---------------------------------------------------------------------------------------

def test_edit_link_carries_the_statement_and_tricky_parameters(settings: Settings) -> None:
    params = {"uscc": "91330100PROBEX0001", "search": "A&B #1; 联合 50%+", "kinds": ["a", "b"]}
    url = browser_link("find_firm", params, settings=settings, play=False)
    assert url.startswith(f"{settings.http_url}/browser/?dbms=")
    assert "&cmd=edit&arg=" in url
    text = _browser_arg(url)
    first, rest = text.split(";\n", 1)
    assert first.startswith(":params ")
    assert json.loads(first.removeprefix(":params ")) == params
    assert rest == saved_query("find_firm").body + ";"
    assert browser_text("explain/get_company", {"uscc": "x"}).endswith(
        statement_text("explain/get_company") + ";")
    assert "//" not in statement_text("explain/get_company")
    assert query("explain/get_company").startswith("//")
    adhoc = browser_link("MATCH (c:Company) RETURN count(c)", settings=settings)
    assert _browser_arg(adhoc) == "MATCH (c:Company) RETURN count(c);"


def test_play_link_names_an_evidence_slide_that_the_api_serves(settings: Settings) -> None:
    params = {"uscc": "91330100PROBEX0001", "as_of": dt.date(2024, 1, 31), "kinds": ["x&y"]}
    url = browser_link("explain/list_company_records", params, settings=settings,
                       guide_url="http://localhost:8123")
    assert "&cmd=play&arg=" in url
    page = _browser_arg(url)
    assert page.startswith("http://localhost:8123/browser-guide/evidence/explain/"
                           "list_company_records?p=")
    default = _browser_arg(browser_link("find_firm", {"search": "a"}, settings=settings))
    assert default.startswith(f"http://localhost:{settings.riskgraph_api_port}/browser-guide/")
    client = _client()
    slide = client.get(page.removeprefix("http://localhost:8123"))
    assert slide.status_code == 200
    assert slide.headers["access-control-allow-origin"] == "*"
    text = html.unescape(slide.text)
    assert statement_text("explain/list_company_records") in text
    shown = text.split(":params ", 1)[1].split("</pre>", 1)[0]
    assert json.loads(shown) == {**params, "as_of": "2024-01-31"}
    assert client.get("/browser-guide/evidence/delete_graph_data").status_code == 404
    assert client.get("/browser-guide/evidence/explain/get_company?p=%%%").status_code == 400
    assert decode_params(encode_params({"a": "é&#"})) == {"a": "é&#"}


def test_link_refuses_what_a_url_cannot_carry(settings: Settings) -> None:
    with pytest.raises(BadInput, match="contains '&'"):
        browser_link("MATCH (c) WHERE c.name = 'A&B' RETURN c", settings=settings)
    with pytest.raises(BadInput, match=r"parameter when has type object"):
        browser_link("RETURN $when", {"when": object()}, settings=settings)
    with pytest.raises(BadInput, match="only cypher/browser and cypher/explain"):
        browser_link("count_nodes_by_label", settings=settings, play=True)
    with pytest.raises(NotFound, match="no catalog statement named 'explain/nope'"):
        browser_link("explain/nope", settings=settings)
    with pytest.raises(BadInput, match="not a Cypher identifier"):
        browser_link("RETURN 1", {"bad name": 1}, settings=settings)


# -- routes ---------------------------------------------------------------------------------------

def _client() -> TestClient:
    app = FastAPI()
    app.include_router(router)
    return TestClient(app, base_url="http://localhost:8123")


def test_guide_and_style_routes_answer_browser_cross_origin() -> None:
    client = _client()
    guide = client.get(GUIDE_PATH)
    assert guide.status_code == 200
    assert guide.headers["access-control-allow-origin"] == "*"
    assert ":style http://localhost:8123/browser-guide/style.grass" in guide.text
    style = client.get(STYLE_PATH)
    assert style.text == style_grass()
    preflight = client.options(GUIDE_PATH, headers={
        "Origin": "http://127.0.0.1:7474", "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "pragma,cache-control,sentry-trace"})
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-headers"] == "pragma,cache-control,sentry-trace"


# -- the queries on a real graph ------------------------------------------------------------------


@pytest.mark.neo4j
def test_every_saved_query_runs_and_finds_the_planted_pattern(
    tiny_world: TinyWorld, clean_graph: Driver
) -> None:
    found: dict[str, tuple[dict[str, Any], list[dict[str, Any]]]] = {}
    for q in saved_queries():
        params = _params(clean_graph, q)
        records, _, _ = clean_graph.execute_query(q.body, params)
        found[q.name] = params, [r.data() for r in records]
        assert records, f"{q.name} found nothing with {params}"

    def firms_in(name: str) -> set[str]:
        text = json.dumps(found[name][1], default=str, ensure_ascii=False)
        return {key for key in tiny_world.firms if tiny_world.uscc(key) in text}

    search = found["find_firm"][0]["search"]
    assert {r["uscc"] for r in found["find_firm"][1]} == {
        f["uscc"] for f in tiny_world.firms.values() if search in f["name"]}
    assert found["bid_cartel"][0]["uscc"] == tiny_world.uscc("X")
    assert firms_in("bid_cartel") == {"X", "Y"}
    assert found["phoenix_firm"][0]["uscc"] == tiny_world.uscc("O")
    assert firms_in("phoenix_firm") == {"O", "N"}
    assert firms_in("corporate_group") == {"X", "P"}
    assert firms_in("firm_suppliers") == {"X", "S", "T"}
    assert firms_in("shared_addresses") == {"O", "N"}
    assert found["credit_records"][1][0]["record_id"] == "rec-1"
    # the median-size example: N, O, Y (three nodes each) tie below X (four); N is first
    assert firms_in("firm_people") == {"N", "O"}

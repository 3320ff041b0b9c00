"""Normalised link keys: spellings of one name, address or phone give one key."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from riskgraph.graph.normalize import (
    address_key,
    hashed_id,
    legal_name_key,
    normalise_text,
    phone_key,
)


@pytest.mark.parametrize(("spellings", "key"), [
    (["Acme, Inc.", "ACME INC", "acme  inc.", "The Acme Incorporated"], "ACME"),
    (["Panera, LLC", "PANERA L.L.C.", "Panera LLC"], "PANERA"),
    (["Müller GmbH", "MÜLLER G.m.b.H."], "MÜLLER"),
    (["Foo Bar Co. Ltd.", "FOO BAR CO LTD", "Foo-Bar Company Limited"], "FOO BAR"),
    (["杭州某某科技有限公司", "杭州某某科技股份有限公司"], "杭州某某科技"),
    (["A & B Foods Corp", "A and B Foods Corporation"], "A AND B FOODS"),
    (["Mexico U.S.A.", "MEXICO USA", "Mexico U.S.A. L.P."], "MEXICO USA"),
    (["Garod S.A.", "GAROD SA"], "GAROD"),
])
def test_spellings_of_one_legal_name_share_a_key(spellings: list[str], key: str) -> None:
    assert {legal_name_key(s) for s in spellings} == {key}


def test_a_name_that_is_only_a_legal_form_keeps_it() -> None:
    assert legal_name_key("Co.") == "CO"
    assert legal_name_key("Company Inc") == "COMPANY INC"


def test_addresses_and_phones() -> None:
    assert address_key("3352 N. Broadway Street, Chicago IL") == address_key(
        "3352 NORTH BROADWAY ST CHICAGO, IL")
    assert address_key("11601 W Touhy Avenue") == "11601 W TOUHY AVE"
    assert phone_key("+1 (312) 555-0100") == phone_key("1-312-555-0100") == "13125550100"
    assert phone_key("n/a 12") is None
    assert hashed_id("addr", "X") == hashed_id("addr", "X") != hashed_id("tel", "X")


@given(st.text(max_size=80))
def test_keys_are_idempotent_and_never_empty_for_text_with_words(text: str) -> None:
    key = legal_name_key(text)
    assert legal_name_key(key) == key
    assert address_key(address_key(text)) == address_key(text)
    assert normalise_text(key) == key
    if normalise_text(text):
        assert key

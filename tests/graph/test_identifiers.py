"""Firm identifiers under a scheme: USCC, LEI, namespaced registry ids, declared namespaces."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from riskgraph.graph.identifiers import (
    IdentifierError,
    IdScheme,
    clean_firm_id,
    clear_declared_schemes,
    firm_id_error,
    lei_check_digits,
    region_of,
    register_schemes,
    scheme_of,
    schemes_from_manifest,
)
from riskgraph.graph.uscc import ALPHABET, make_uscc

USCC = "91350100M000100Y43"
LEI = "5493001KJTIIGC8Y1R12"  # Bloomberg Finance L.P., a published LEI


@pytest.fixture(autouse=True)
def _no_declared_schemes() -> Iterator[None]:
    clear_declared_schemes()
    yield
    clear_declared_schemes()


def test_a_uscc_stays_bare_and_a_prefixed_one_is_cleaned() -> None:
    assert clean_firm_id(USCC) == USCC
    assert clean_firm_id(f"uscc:{USCC}") == USCC
    assert clean_firm_id(f"  USCC:{USCC.lower()} ") == USCC
    assert scheme_of(USCC) == "uscc" and region_of(USCC) == "350100"


def test_a_bad_uscc_names_the_scheme_and_hints_at_other_schemes() -> None:
    with pytest.raises(IdentifierError, match=r"^USCC must have 18 characters, got 7 .*scheme:id"):
        clean_firm_id("1234567")
    assert firm_id_error(USCC[:-1] + "4") == "USCC check character is '4', expected '3'"


def test_lei_is_checked_with_iso_7064() -> None:
    assert clean_firm_id(f"lei:{LEI.lower()}") == f"lei:{LEI}"
    assert clean_firm_id(LEI, "lei") == f"lei:{LEI}"
    assert scheme_of(f"lei:{LEI}") == "lei" and region_of(f"lei:{LEI}") is None
    assert lei_check_digits(LEI[:18]) == LEI[18:]
    with pytest.raises(IdentifierError, match=r"^LEI check digits do not verify"):
        clean_firm_id(f"lei:{LEI[:18]}13")
    with pytest.raises(IdentifierError, match="20 characters"):
        clean_firm_id("lei:ABC")


def test_undeclared_namespace_gets_generic_validation() -> None:
    assert clean_firm_id("chicago-license:1234567") == "chicago-license:1234567"
    assert clean_firm_id("1234567", "chicago-license") == "chicago-license:1234567"
    assert clean_firm_id("Chicago-License: 1234567") == "chicago-license:1234567"
    assert scheme_of("chicago-license:1234567") == "chicago-license"
    assert region_of("chicago-license:1234567") is None
    assert firm_id_error("gb-coh:") is not None
    assert "control" in (firm_id_error("gb-coh:01\x0023") or "")
    assert "at most 128" in (firm_id_error("gb-coh:" + "x" * 129) or "")


def test_a_prefix_of_another_scheme_is_refused() -> None:
    with pytest.raises(IdentifierError, match="names scheme 'gb-coh', expected 'chicago-license'"):
        clean_firm_id("gb-coh:1", "chicago-license")
    with pytest.raises(IdentifierError, match="must be a string"):
        clean_firm_id(1234567)


def test_declared_namespace_pattern_is_enforced() -> None:
    register_schemes(schemes_from_manifest(
        {"id_schemes": {"chicago-license": {"doc": "City of Chicago licence", "pattern": r"\d+"}}}))
    assert clean_firm_id("chicago-license:42") == "chicago-license:42"
    with pytest.raises(IdentifierError,
                       match=r"^chicago-license identifier '42A' does not match the declared"):
        clean_firm_id("chicago-license:42A")


@pytest.mark.parametrize(("manifest", "problem"), [
    ({"id_schemes": []}, "must be an object"),
    ({"id_schemes": {"x": {"doc": ""}}}, "not a namespace"),
    ({"id_schemes": {"uscc": {"doc": ""}}}, "built in"),
    ({"id_schemes": {"ab": {"pattern": "("}}}, "not a regex"),
    ({"id_schemes": {"ab": {"colour": "red"}}}, "unknown field"),
])
def test_bad_manifest_declarations_are_refused(manifest: dict[str, object], problem: str) -> None:
    with pytest.raises(IdentifierError, match=problem):
        register_schemes(schemes_from_manifest(manifest))


def test_register_refuses_a_builtin_name() -> None:
    with pytest.raises(IdentifierError, match="built in"):
        register_schemes({"lei": IdScheme("lei", "")})


_USCC_CHARS = st.text(alphabet=ALPHABET, min_size=9, max_size=9)
_REGION = st.from_regex(r"\A[1-6][0-9]{5}\Z")
_NS = st.from_regex(r"\A[a-z][a-z0-9-]{1,39}\Z").filter(lambda s: s not in ("uscc", "lei"))
_LOCAL = st.text(st.characters(codec="utf-8", categories=("L", "N", "P", "S")),
                 min_size=1, max_size=128)


@given(_REGION, _USCC_CHARS)
def test_every_valid_uscc_is_its_own_canonical_form(region: str, org: str) -> None:
    code = make_uscc("9", "1", region, org)
    assert clean_firm_id(code) == code == clean_firm_id(f"uscc:{code}")
    assert region_of(code) == region


@given(st.text(alphabet="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=18, max_size=18))
def test_every_lei_with_computed_check_digits_is_valid(first18: str) -> None:
    key = clean_firm_id(f"lei:{first18}{lei_check_digits(first18)}")
    assert key == f"lei:{first18}{lei_check_digits(first18)}" and scheme_of(key) == "lei"


@given(st.text(alphabet="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=18, max_size=18),
       st.integers(0, 99))
@example("GEAJKLR0UQ690PCVE6", 0)  # verifies mod 97 as its check digits 97 do: not an LEI
def test_a_wrong_lei_check_digit_is_refused(first18: str, digits: int) -> None:
    check = f"{digits:02d}"
    valid = check == lei_check_digits(first18)
    assert (firm_id_error(f"lei:{first18}{check}") is None) == valid


@given(_NS, _LOCAL)
def test_namespaced_ids_round_trip(namespace: str, local: str) -> None:
    error = firm_id_error(f"{namespace}:{local}")
    if local.strip() == local:
        key = clean_firm_id(f"{namespace}:{local}")
        assert error is None and key == f"{namespace}:{local}"
        assert scheme_of(key) == namespace and region_of(key) is None
        assert clean_firm_id(key) == key  # idempotent
        if ":" not in local:  # a bare local id with a colon could name a scheme
            assert clean_firm_id(local, namespace) == key
    else:
        # whitespace at the ends is cleaned away when the rest is valid
        assert error is None or "whitespace" in error or "empty" in error


@given(st.text(max_size=60))
def test_any_text_is_either_cleaned_idempotently_or_refused_with_the_scheme(text: str) -> None:
    try:
        key = clean_firm_id(text)
    except IdentifierError as exc:
        assert str(exc).startswith(("USCC", "LEI", "identifier ")) or " identifier " in str(exc)
        return
    assert clean_firm_id(key) == key
    assert scheme_of(key) in ("uscc", "lei") or ":" in key


def test_lookup_keys_are_canonical_or_the_text_as_typed() -> None:
    from riskgraph.graph.identifiers import lookup_firm_id

    assert lookup_firm_id(f" uscc:{USCC.lower()} ") == USCC
    assert lookup_firm_id("Chicago-License:42") == "chicago-license:42"
    assert lookup_firm_id(" no such firm ") == "no such firm"

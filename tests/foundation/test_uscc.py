from __future__ import annotations

import pytest

from riskgraph.graph.uscc import check_character, is_valid_uscc, make_uscc, uscc_error


@pytest.mark.parametrize("code", ["91350100M000100Y43", "91110000802100433B"])
def test_published_codes_are_valid(code: str) -> None:
    assert uscc_error(code) is None


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("91350100M000100Y44", "check character is '4', expected '3'"),
        ("91350100M000100Y4", "18 characters, got 17"),
        ("91350100M000100I43", "character 'I'"),
        ("913501AAM000100Y43", "region part"),
        (12345, "must be a string"),
    ],
)
def test_bad_codes_say_what_is_wrong(code: object, reason: str) -> None:
    error = uscc_error(code)
    assert error is not None and reason in error


def test_make_uscc_round_trips() -> None:
    code = make_uscc("9", "1", "330100", "MA2AB3C4X")
    assert len(code) == 18 and is_valid_uscc(code)
    assert check_character(code[:17]) == code[17]

"""Unified Social Credit Code (GB 32100-2015): check character and validation.

The code has 18 characters from a 31-symbol alphabet (digits and capitals without I, O, S, V, Z):
registration authority (1), entity type (1), administrative region (6, GB/T 2260), organisation
code (9) and a check character computed from the first 17 with weights 3**i mod 31.
"""

from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))


class InvalidUSCC(ValueError):
    """A string that is not a well-formed Unified Social Credit Code."""


def check_character(first17: str) -> str:
    """Return the 18th character for the 17-character prefix ``first17``."""
    if len(first17) != 17:
        raise InvalidUSCC(f"expected 17 characters before the check character, got {len(first17)}")
    try:
        total = sum(_VALUE[ch] * w for ch, w in zip(first17, WEIGHTS, strict=True))
    except KeyError as exc:
        raise InvalidUSCC(f"character {exc.args[0]!r} is not allowed in a USCC") from None
    return ALPHABET[(31 - total % 31) % 31]


def uscc_error(code: object) -> str | None:
    """Explain what is wrong with ``code``, or return None when it is a valid USCC."""
    if not isinstance(code, str):
        return f"USCC must be a string, got {type(code).__name__}"
    if len(code) != 18:
        return f"USCC must have 18 characters, got {len(code)}"
    bad = [ch for ch in code if ch not in _VALUE]
    if bad:
        return f"USCC contains character {bad[0]!r} outside the GB 32100-2015 alphabet"
    if not code[2:8].isdigit():
        return f"USCC region part {code[2:8]!r} must be six digits (GB/T 2260)"
    expected = check_character(code[:17])
    if code[17] != expected:
        return f"USCC check character is {code[17]!r}, expected {expected!r}"
    return None


def is_valid_uscc(code: object) -> bool:
    """True when ``code`` is a well-formed USCC with a correct check character."""
    return uscc_error(code) is None


def make_uscc(authority: str, entity_type: str, region_code: str, org_code: str) -> str:
    """Build a valid USCC from its parts (``org_code`` is the 9-character organisation code)."""
    first17 = f"{authority}{entity_type}{region_code}{org_code}"
    return first17 + check_character(first17)

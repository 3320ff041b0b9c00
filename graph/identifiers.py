"""Firm identifiers under a scheme: one place that cleans and validates a Company key.

The Company key (property ``uscc``, kept under that name this round) holds a firm identifier in
canonical form:

- ``uscc``: the bare 18-character Unified Social Credit Code (GB 32100-2015); ``uscc:CODE`` is
  accepted and cleaned to the bare code. The scheme has regions (GB/T 2260, characters 3-8).
- ``lei``: ``lei:`` + the 20-character Legal Entity Identifier (ISO 17442; ISO 7064 mod 97-10
  check digits).
- a registry's own identifiers: ``<namespace>:<local id>``, namespace ``[a-z][a-z0-9-]{1,39}``
  (e.g. ``chicago-license:1234567``). A world may declare its namespaces (a regex for the local
  part and a doc) in ``manifest.json`` under ``"id_schemes"``; undeclared namespaces get generic
  validation (local part 1-128 printable characters, no whitespace at the ends).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from riskgraph.graph.uscc import uscc_error


class IdentifierError(ValueError):
    """A value that is not a firm identifier; the message names the scheme (``USCC ...``,
    ``LEI ...``, ``<namespace> identifier ...``) and the problem."""


@dataclass(frozen=True)
class IdScheme:
    """One identifier scheme: ``pattern`` (a regex for the local part) is matched in full."""

    name: str
    doc: str
    pattern: str | None = None
    has_region: bool = False


USCC = "uscc"
LEI = "lei"
NAMESPACE_PATTERN = r"[a-z][a-z0-9-]{1,39}"
_NAMESPACE = re.compile(NAMESPACE_PATTERN)
LOCAL_MAX = 128

BUILTIN_SCHEMES: dict[str, IdScheme] = {
    USCC: IdScheme(USCC, "Unified Social Credit Code (GB 32100-2015), 18 characters, bare in "
                   "the key; region from characters 3-8 (GB/T 2260)", has_region=True),
    LEI: IdScheme(LEI, "Legal Entity Identifier (ISO 17442), written lei:<20 characters>; "
                  "ISO 7064 mod 97-10 check digits", pattern=r"[0-9A-Z]{18}[0-9]{2}"),
}
"""The schemes every world knows; a manifest cannot redefine them."""

_declared: dict[str, IdScheme] = {}


def register_schemes(schemes: Mapping[str, IdScheme]) -> None:
    """Declare a world's namespaces (replacing a previous declaration of the same name)."""
    for name, scheme in schemes.items():
        _check_declaration(name, scheme.pattern)
        _declared[name] = scheme


def _check_declaration(name: str, pattern: str | None) -> None:
    if name in BUILTIN_SCHEMES:
        raise IdentifierError(f"id scheme {name!r} is built in and cannot be redeclared")
    if not _NAMESPACE.fullmatch(name):
        raise IdentifierError(f"id scheme name {name!r} is not a namespace ({NAMESPACE_PATTERN})")
    if pattern is not None:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise IdentifierError(
                f"id scheme {name!r}: pattern {pattern!r} is not a regex ({exc})") from None


def clear_declared_schemes() -> None:
    """Forget every declared namespace (tests, or before reading another world)."""
    _declared.clear()


def known_schemes() -> dict[str, IdScheme]:
    """The built-in schemes and the declared namespaces, by name."""
    return {**BUILTIN_SCHEMES, **_declared}


def schemes_from_manifest(manifest: Mapping[str, Any]) -> dict[str, IdScheme]:
    """Parse ``"id_schemes": {name: {"doc": ..., "pattern": ..., "has_region": ...}}``."""
    raw = manifest.get("id_schemes")
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise IdentifierError("manifest id_schemes must be an object {namespace: {doc, pattern}}")
    schemes: dict[str, IdScheme] = {}
    for name, spec in raw.items():
        where = f"manifest id_schemes.{name}"
        if not isinstance(spec, Mapping):
            raise IdentifierError(f"{where} must be an object with doc and optional pattern")
        unknown = set(spec) - {"doc", "pattern", "has_region"}
        if unknown:
            raise IdentifierError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
        pattern, doc = spec.get("pattern"), spec.get("doc", "")
        if pattern is not None and not isinstance(pattern, str):
            raise IdentifierError(f"{where}.pattern must be a string")
        if not isinstance(doc, str):
            raise IdentifierError(f"{where}.doc must be a string")
        has_region = spec.get("has_region", False)
        if not isinstance(has_region, bool):
            raise IdentifierError(f"{where}.has_region must be true or false")
        _check_declaration(str(name), pattern)
        schemes[str(name)] = IdScheme(str(name), doc, pattern, has_region)
    return schemes


def _split(text: str) -> tuple[str | None, str]:
    """(scheme prefix lower-cased, rest), or (None, text) when ``text`` has no scheme prefix."""
    head, sep, rest = text.partition(":")
    if sep and _NAMESPACE.fullmatch(head.lower()):
        return head.lower(), rest
    return None, text


def lei_error(code: str) -> str | None:
    """Explain what is wrong with a bare 20-character LEI, or None when it is valid."""
    if len(code) != 20:
        return f"LEI must have 20 characters, got {len(code)}"
    if not re.fullmatch(r"[0-9A-Z]{18}", code[:18]):
        return "LEI characters 1-18 must be digits or capital letters"
    if not code[18:].isdigit() or not code[18:].isascii():
        return f"LEI check digits {code[18:]!r} must be two digits"
    number = int("".join(str(int(ch, 36)) for ch in code))
    # ISO 7064 mod 97-10 check digits are 02-98: 00, 01 and 99 pass the sum as 97, 98 and 02
    # do, and would give a prefix two valid LEIs.
    if number % 97 != 1 or not 2 <= int(code[18:]) <= 98:
        return "LEI check digits do not verify (ISO 7064 mod 97-10)"
    return None


def lei_check_digits(first18: str) -> str:
    """The two check digits for an 18-character LEI prefix (ISO 7064 mod 97-10)."""
    number = int("".join(str(int(ch, 36)) for ch in first18.upper() + "00"))
    return f"{98 - number % 97:02d}"


def _local_error(scheme: IdScheme | None, namespace: str, local: str) -> str | None:
    if not local:
        return f"{namespace} identifier has an empty local part"
    if len(local) > LOCAL_MAX:
        return (f"{namespace} identifier local part has {len(local)} characters "
                f"(at most {LOCAL_MAX})")
    if not local.isprintable():
        return f"{namespace} identifier contains a control or non-printable character"
    if local != local.strip():
        return f"{namespace} identifier local part has whitespace at its ends"
    if scheme is not None and scheme.pattern is not None and not re.fullmatch(scheme.pattern,
                                                                              local):
        return (f"{namespace} identifier {local!r} does not match the declared pattern "
                f"{scheme.pattern!r}")
    return None


def clean_firm_id(value: object, scheme: str | None = None, *,
                  declared: Mapping[str, IdScheme] | None = None) -> str:
    """The canonical Company key for ``value``, or IdentifierError naming scheme and problem.

    ``scheme`` says which scheme a bare value (one without a ``scheme:`` prefix) belongs to;
    without it a bare value is read as a USCC. A prefix that names another scheme is refused.
    ``declared`` adds namespaces to the registered ones (a world's manifest).
    """
    if not isinstance(value, str):
        raise IdentifierError(f"firm identifier must be a string, got {type(value).__name__}")
    text = value.strip()
    prefix, rest = _split(text)
    if scheme is not None:
        scheme = scheme.lower()
        if not _NAMESPACE.fullmatch(scheme):
            raise IdentifierError(f"id scheme {scheme!r} is not a namespace ({NAMESPACE_PATTERN})")
        if prefix is not None and prefix != scheme:
            raise IdentifierError(f"identifier {text!r} names scheme {prefix!r}, "
                                  f"expected {scheme!r}")
    name = prefix or scheme or USCC
    local = rest.strip()
    if name == USCC:
        code = local.upper()
        problem = uscc_error(code)
        if problem is not None:
            hint = "" if prefix or scheme or ":" in text or len(code) == 18 else (
                " (identifiers of other schemes are written scheme:id, "
                "e.g. lei:…, chicago-license:…)")
            raise IdentifierError(f"{problem}{hint}")
        return code
    if name == LEI:
        code = local.upper()
        problem = lei_error(code)
        if problem is not None:
            raise IdentifierError(problem)
        return f"{LEI}:{code}"
    known = {**_declared, **(declared or {})}
    problem = _local_error(known.get(name), name, local)
    if problem is not None:
        raise IdentifierError(problem)
    return f"{name}:{local}"


def firm_id_error(value: object, scheme: str | None = None, *,
                  declared: Mapping[str, IdScheme] | None = None) -> str | None:
    """What is wrong with ``value`` as a firm identifier, or None when it is valid."""
    try:
        clean_firm_id(value, scheme, declared=declared)
    except IdentifierError as exc:
        return str(exc)
    return None


_USCC_SHAPE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")


def looks_like_uscc(value: str) -> bool:
    """Whether ``value`` has a USCC's shape once cleaned (18 characters of its alphabet, digits
    3-8), whatever its check character: for naming a near miss rather than another scheme."""
    return bool(_USCC_SHAPE.match(value.strip().upper()))


def scheme_of(key: str) -> str:
    """The scheme of a canonical key: ``uscc``, ``lei`` or the namespace."""
    prefix, _ = _split(key)
    return prefix or USCC


def region_of(key: str) -> str | None:
    """The GB/T 2260 region code inside a USCC key (characters 3-8), else None."""
    if scheme_of(key) == USCC and len(key) == 18 and key[2:8].isdigit():
        return key[2:8]
    return None


def has_region(scheme: str, declared: Mapping[str, IdScheme] | None = None) -> bool:
    """True when keys of ``scheme`` carry a region (Company.region_code is then required)."""
    found = {**known_schemes(), **(declared or {})}.get(scheme)
    return found is not None and found.has_region


def lookup_firm_id(value: str) -> str:
    """The key to look a firm up by: the canonical form when ``value`` is an identifier, else
    the stripped text (so the lookup reports "not found" for exactly what was typed)."""
    try:
        return clean_firm_id(value)
    except IdentifierError:
        return value.strip()

"""Normalised link keys: the one place that decides when two firms share a name, address or phone.

Registries write the same legal name, address or phone in many ways ("ACME, Inc.", "Acme Inc",
"ACME INC."). Firms are linked through a shared key, so the key is normalised here and nowhere
else: Unicode NFKC, upper case, punctuation to spaces, whitespace collapsed; legal names also
lose their legal-form suffixes (INC, LLC, LTD, CORP, CO, GmbH, AG, SA, 有限公司, 股份有限公司 …),
addresses take the usual street-word abbreviations, phones keep their digits.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

LEGAL_FORMS: tuple[str, ...] = (
    "INC", "INCORPORATED", "LLC", "L L C", "LTD", "LIMITED", "CORP", "CORPORATION", "CO",
    "COMPANY", "LP", "LLP", "PLC", "PC", "PLLC", "GMBH", "AG", "SA", "SAS", "SARL", "SRL", "SPA",
    "BV", "NV", "OY", "AB", "AS", "KG", "UG",
    "G M B H", "L L P", "L P", "S A", "A G", "B V", "N V", "S R L", "S P A", "P L C",
)
"""Latin-script legal-form words removed from the end of a legal name (after punctuation is
spaced, so ``L.L.C.`` is ``L L C``)."""

LEGAL_FORMS_CJK: tuple[str, ...] = (
    "股份有限公司", "有限责任公司", "有限公司", "股份公司", "集团公司", "公司",
)
"""Chinese legal-form endings (longest first), removed from the end of a legal name."""

STREET_WORDS: dict[str, str] = {
    "STREET": "ST", "AVENUE": "AVE", "AV": "AVE", "BOULEVARD": "BLVD", "ROAD": "RD",
    "DRIVE": "DR", "PLACE": "PL", "COURT": "CT", "LANE": "LN", "PARKWAY": "PKWY",
    "HIGHWAY": "HWY", "SQUARE": "SQ", "TERRACE": "TER", "NORTH": "N", "SOUTH": "S", "EAST": "E",
    "WEST": "W", "SUITE": "STE", "FLOOR": "FL", "APARTMENT": "APT",
}
"""Street words abbreviated the USPS way (other registries' words pass through unchanged)."""

_PUNCT = re.compile(r"[^\w\u3400-\u9fff]+", re.UNICODE)
_SPACES = re.compile(r"\s+")
_USA = re.compile(r"\bU S A\b")
_LEGAL_TAIL = re.compile(r"(?:\s+(?:" + "|".join(re.escape(f) for f in
                                                  sorted(LEGAL_FORMS, key=len, reverse=True))
                         + r"))+$")


def normalise_text(text: str) -> str:
    """NFKC, upper case, every run of punctuation or whitespace as one space, trimmed."""
    folded = unicodedata.normalize("NFKC", text).upper().replace("&", " AND ")
    return _SPACES.sub(" ", _PUNCT.sub(" ", folded.replace("_", " "))).strip()


def legal_name_key(name: str) -> str:
    """The link key of a legal name: normalised text without legal-form suffixes (and without a
    leading THE). "Acme, Inc." and "ACME INC" give "ACME"; "杭州某某有限公司" gives "杭州某某".
    A name that is nothing but a legal form keeps it (so the key is never empty)."""
    text = _USA.sub("USA", normalise_text(name))  # U.S.A. is not a legal form (S.A.)
    stripped = text
    if stripped.startswith("THE "):
        stripped = stripped[4:]
    stripped = _LEGAL_TAIL.sub("", " " + stripped).strip()
    changed = True
    while changed:
        changed = False
        for form in LEGAL_FORMS_CJK:
            if stripped.endswith(form) and len(stripped) > len(form):
                stripped = stripped[: -len(form)].strip()
                changed = True
    return stripped or text


def address_key(text: str) -> str:
    """The link key of an address: normalised text with street words abbreviated."""
    words = normalise_text(text).split(" ")
    return " ".join(STREET_WORDS.get(w, w) for w in words if w)


def phone_key(text: str) -> str | None:
    """The link key of a phone number: its digits (None with fewer than six digits, which is no
    number at all)."""
    digits = "".join(ch for ch in unicodedata.normalize("NFKC", text) if ch.isdigit())
    return digits if len(digits) >= 6 else None


def hashed_id(kind: str, key: str) -> str:
    """A short stable id for a normalised key (``addr-…``, ``tel-…``): SHA-1 of kind and key."""
    digest = hashlib.sha1(f"{kind}\0{key}".encode(), usedforsecurity=False).hexdigest()
    return f"{kind}-{digest[:16]}"

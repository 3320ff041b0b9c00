"""Firm keys for importers: OCDS party identifiers and FtM company properties → the canonical
firm identifier of ``graph.identifiers`` (``uscc`` scheme bare, ``lei:…``, ``<namespace>:…``).

OCDS (org-id.guide scheme codes): a scheme naming the USCC (``CN-USCC`` and its variants) →
``uscc``; ``XI-LEI`` → ``lei``; any other scheme → its lowercased code as namespace
(``GB-COH`` → ``gb-coh:…``; a free-text scheme is slugged: ``Registro Único`` →
``registro-unico``). The party's ``identifier`` comes first, then its
``additionalIdentifiers``; an id failing its scheme's check is skipped, and a party whose
declared identifiers all fail is rejected naming them. A party with no identifier (or only
scheme-less ones) gets ``ocds-party:<ocid>/<party id>``: party ids are only unique within a
contracting process (publishers reuse ``"1"``, ``"2"`` in every release), so the same id under
two ocids is two firms, never one; the releases of one ocid share it. (The exporter gives the
party id back: the part after the first ``/``.)
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from riskgraph.graph.identifiers import IdentifierError, clean_firm_id, looks_like_uscc

USCC_SCHEMES = frozenset(s.casefold() for s in ("CN-USCC", "CN-SCC", "CN-UNISC", "USCC",
                                                 "统一社会信用代码"))
LEI_SCHEMES = frozenset({"xi-lei", "lei"})
PARTY_NAMESPACE = "ocds-party"
FTM_NAMESPACE = "ftm"
_NAMESPACE = re.compile(r"^[a-z][a-z0-9-]{1,39}$")

FTM_ID_PROPERTIES: tuple[tuple[str, str | None], ...] = (
    ("leiCode", "lei"), ("registrationNumber", None), ("taxNumber", None), ("idNumber", None),
    ("uniqueEntityId", "us-uei"), ("innCode", "ru-inn"), ("ogrnCode", "ru-ogrn"),
)
"""FtM properties searched, in order. ``None``: a USCC when the value passes the check
character, else (registrationNumber only, with a ``jurisdiction``) ``<cc>-registration``. A
value shaped like a USCC whose check fails rejects the entity when nothing else keys it."""


def namespace_of(scheme: str) -> str | None:
    """The namespace an OCDS scheme code stands for (None when nothing usable is left)."""
    folded = unicodedata.normalize("NFKD", scheme).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")[:40].rstrip("-")
    if slug and not slug[0].isalpha():
        slug = f"x-{slug}"[:40].rstrip("-")
    return slug if _NAMESPACE.match(slug) else None


def _scheme_key(scheme: Any, value: Any) -> str:
    """The key of one ``{scheme, id}`` (IdentifierError when unusable)."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise IdentifierError(f"identifier id {value!r} is not text")
    text = str(value).strip()
    name = str(scheme or "").strip()
    if name.casefold() in USCC_SCHEMES:
        return clean_firm_id(text, "uscc")
    if name.casefold() in LEI_SCHEMES:
        return clean_firm_id(text, "lei")
    try:  # an unnamed or unknown scheme whose id is a valid USCC: the USCC
        return clean_firm_id(text, "uscc")
    except IdentifierError:
        pass
    namespace = namespace_of(name) if name else None
    if namespace is None:
        raise IdentifierError(f"identifier scheme {name!r} is not usable as a namespace")
    return clean_firm_id(text, namespace)


def party_key(party: dict[str, Any], ocid: str, party_id: str) -> tuple[str, list[str]]:
    """(firm key, notes on identifiers that were skipped) of an OCDS party."""
    identifiers: list[Any] = [party.get("identifier")]
    extra = party.get("additionalIdentifiers")
    identifiers += extra if isinstance(extra, list) else []
    found: list[tuple[int, str]] = []
    notes: list[str] = []
    failed: list[str] = []
    for i, ident in enumerate(identifiers):
        if not isinstance(ident, dict) or ident.get("id") in (None, ""):
            continue
        try:
            key = _scheme_key(ident.get("scheme"), ident.get("id"))
        except IdentifierError as exc:
            notes.append(f"identifier {i} skipped: {exc}")
            if ident.get("scheme"):
                failed.append(f"{ident.get('scheme')} {str(ident.get('id'))[:40]!r}: {exc}")
            continue
        rank = 0 if ":" not in key else 1 if key.startswith("lei:") else 2
        found.append((rank * 1000 + i, key))
    if found:
        return min(found)[1], notes
    if failed:  # an identifier was declared but fails its check: not a firm we can key
        raise IdentifierError("; ".join(failed))
    return clean_firm_id(f"{ocid}/{party_id}", PARTY_NAMESPACE), notes


def ftm_company_key(props: dict[str, Any], ftm_id: str) -> str:
    """The firm key of an FtM Company / Organization / LegalEntity / PublicBody."""
    jurisdiction = _first_text(props.get("jurisdiction")) or _first_text(props.get("country"))
    near_miss: str | None = None
    for name, scheme in FTM_ID_PROPERTIES:
        values = props.get(name)
        for value in values if isinstance(values, list) else [values]:
            if not isinstance(value, str) or not value.strip():
                continue
            try:
                if scheme is not None:
                    return clean_firm_id(value.strip(), scheme)
                return clean_firm_id(value, "uscc")
            except IdentifierError as exc:
                if scheme is None and looks_like_uscc(value):
                    near_miss = near_miss or f"{name} {value.strip()!r} looks like a USCC: {exc}"
                    continue
            if name == "registrationNumber" and jurisdiction:
                namespace = namespace_of(f"{jurisdiction}-registration")
                if namespace:
                    try:
                        return clean_firm_id(value.strip(), namespace)
                    except IdentifierError:
                        pass
    if near_miss:  # a mistyped USCC is not another firm: refuse rather than key it by FtM id
        raise IdentifierError(near_miss)
    return clean_firm_id(ftm_id, FTM_NAMESPACE)


def _first_text(value: Any) -> str | None:
    items = value if isinstance(value, list) else [value]
    return next((str(v).strip().lower() for v in items if isinstance(v, str) and v.strip()),
                None)

"""FollowTheMoney entities (JSON lines, one ``{id, schema, properties}`` per line) → our model.

Mapping (docs/importers.md has the table):

- Company, Organization, LegalEntity → ``:Company`` keyed by the first valid USCC among
  ``ID_PROPERTIES`` (registrationNumber, taxNumber, …); without one the entity is rejected (firms
  are keyed by USCC only). A PublicBody is a company when it has a USCC; without one it only
  names the buyer of the contracts it authorises. Region from the USCC; status from ``status``
  when it is one of ours, else ``dissolved`` when there is a dissolutionDate, else ``active``;
  ``addressEntity`` → ``REGISTERED_AT``.
- Person → ``:Person`` (the FtM id is the pseudonymous person_id); Address → ``:Address``.
- Ownership → ``HOLDS_EQUITY`` (``percentage`` → share; the owner a person or a company, the
  asset a company). Directorship → a role relationship chosen by keywords in ``role``
  (``DIRECTORSHIP_ROLES``; no keyword → ``DIRECTOR_OF``). Family → ``FAMILY_OF``, Associate →
  ``ASSOCIATE_OF`` (``relationship`` kept).
- Sanction → ``:CreditRecord`` (category ``blacklist``, kind ``sanction``, negative, public,
  ``authority`` → agency, startDate or listingDate → issued_on, endDate → removed_on) with
  ``HAS_RECORD`` from its entity.
- Contract → ``:Tender``; ContractAward → a winning ``:Bid`` of its supplier(s) for that tender
  (several suppliers: a consortium, the first one ``lead``). FtM has no tender period: the
  contract date is both published_on and deadline, and the award date is the bid's time.
- Any other schema is counted in ``ImportResult.unknown`` and reported, never fatal. A link that
  names an entity absent from the file, or one that could not be imported, is rejected.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from graph.importers.common import ImportResult, TableBuilder, first_uscc, iso_date
from graph.importers.ocds import UNKNOWN_REGION
from graph.importers.reading import Unreadable, read_units
from graph.schema import (
    BidRole,
    BidStatus,
    CompanyStatus,
    Disclosure,
    Label,
    Polarity,
    Procedure,
    Rel,
)

SOURCE = "ftm"
COMPANY_SCHEMATA = frozenset({"Company", "Organization", "LegalEntity", "PublicBody"})
THING_SCHEMATA = COMPANY_SCHEMATA | {"Person", "Address", "Contract"}
OPTIONAL_COMPANY_SCHEMATA = frozenset({"PublicBody"})
"""Schemata mapped to :Company only when they carry a USCC (not rejected without one)."""
LINK_SCHEMATA = frozenset({"Ownership", "Directorship", "Family", "Associate", "Sanction",
                           "ContractAward"})
ID_PROPERTIES = ("registrationNumber", "taxNumber", "idNumber", "uniqueEntityId", "ogrnCode",
                 "innCode", "leiCode")
"""FtM properties searched, in order, for a USCC (the check character decides, not the name)."""

DIRECTORSHIP_ROLES: tuple[tuple[Rel, tuple[str, ...]], ...] = (
    (Rel.LEGAL_REPRESENTATIVE_OF, ("legal representative", "法定代表人", "法人代表")),
    (Rel.SUPERVISOR_OF, ("supervisor", "监事")),
    (Rel.ACTUAL_CONTROLLER_OF, ("actual controller", "controller", "实际控制人")),
)
"""Keywords (matched case-insensitively in ``role``), first match wins; else DIRECTOR_OF."""

CONTRACT_TYPES = {"w": "works", "u": "goods", "s": "services", "works": "works",
                  "goods": "goods", "supplies": "goods", "services": "services"}
PROCEDURE_WORDS: tuple[tuple[str, Procedure], ...] = (
    ("open", Procedure.OPEN), ("selective", Procedure.SELECTIVE),
    ("restricted", Procedure.SELECTIVE), ("limited", Procedure.LIMITED),
    ("negotiated", Procedure.LIMITED), ("direct", Procedure.DIRECT),
    ("single source", Procedure.DIRECT),
)

Entity = dict[str, Any]
Keys = dict[str, tuple[Label, str]]


def _values(props: dict[str, Any], name: str) -> list[Any]:
    value = props.get(name)
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _first(props: dict[str, Any], name: str) -> Any:
    values = _values(props, name)
    return values[0] if values else None


def _ref(value: Any) -> str | None:
    """An entity reference: an id, or a nested entity (``{"id": ...}``)."""
    if isinstance(value, dict):
        value = value.get("id")
    return str(value) if value not in (None, "") else None


def _float(value: Any) -> float | None:
    if isinstance(value, str):
        value = value.replace("%", "").replace(",", "").strip()
    try:
        return float(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def directorship_rel(role: str) -> Rel:
    """The relationship type a Directorship ``role`` text stands for."""
    text = role.casefold()
    for rel, words in DIRECTORSHIP_ROLES:
        if any(word in text for word in words):
            return rel
    return Rel.DIRECTOR_OF


def _procedure(text: Any) -> str | None:
    if not text:
        return None
    lowered = str(text).casefold()
    for word, procedure in PROCEDURE_WORDS:
        if word in lowered:
            return procedure.value
    return str(text)  # validation names it


def import_ftm(path: Path, encoding: str | None = None) -> ImportResult:
    """Map a FollowTheMoney JSON-lines file to a World (two passes: entities, then links)."""
    builder = TableBuilder(SOURCE)
    result = ImportResult(builder.world())
    entities: list[tuple[str, Entity]] = []
    for unit in read_units(path, encoding):
        if isinstance(unit, Unreadable):
            result.unreadable(unit.where, unit.reason)
            continue
        where, obj = unit.where, unit.value
        if not isinstance(obj, dict) or not obj.get("schema") or not obj.get("id"):
            result.rejects.append((where, "", "not a FollowTheMoney entity (needs id and "
                                              "schema)"))
            continue
        schema = str(obj["schema"])
        result.counts[schema] += 1
        if schema in THING_SCHEMATA | LINK_SCHEMATA:
            entities.append((where, obj))
        else:
            result.unknown[schema] += 1
    names = {str(e["id"]): _first(e.get("properties") or {}, "name") for _, e in entities}
    keys: Keys = {}
    for where, entity in entities:
        if entity["schema"] in COMPANY_SCHEMATA | {"Person", "Address"}:
            _map_thing(builder, result, where, entity, keys)
    for _, entity in entities:
        if entity["schema"] == "Contract":
            _map_contract(builder, entity, keys, names)
    for where, entity in entities:
        if entity["schema"] in LINK_SCHEMATA:
            _map_link(builder, result, where, entity, keys)
    for where, entity in entities:
        if entity["schema"] in COMPANY_SCHEMATA:
            _map_registration(builder, result, where, entity, keys)
    result.world = builder.world()
    return result


def _map_thing(builder: TableBuilder, result: ImportResult, where: str, entity: Entity,
               keys: Keys) -> None:
    schema, ftm_id = str(entity["schema"]), str(entity["id"])
    props = entity.get("properties") or {}
    if schema in COMPANY_SCHEMATA:
        uscc = first_uscc([v for name in ID_PROPERTIES for v in _values(props, name)])
        if uscc is None and schema in OPTIONAL_COMPANY_SCHEMATA:
            result.counts[f"{schema} without USCC (buyer name only)"] += 1
            return
        if uscc is None:
            result.rejects.append((where, ftm_id, f"{schema} has no valid USCC among "
                                   f"{', '.join(ID_PROPERTIES)}"))
            return
        keys[ftm_id] = (Label.COMPANY, uscc)
        dissolved = iso_date(_first(props, "dissolutionDate"))
        status = str(_first(props, "status") or "").casefold()
        if status not in {s.value for s in CompanyStatus}:
            status = CompanyStatus.DISSOLVED if dissolved else CompanyStatus.ACTIVE
        builder.node(Label.COMPANY, uscc, ftm_id, name=_first(props, "name"),
                     region_code=uscc[2:8], founded_on=iso_date(_first(props,
                                                                       "incorporationDate")),
                     dissolved_on=dissolved, status=str(status))
    elif schema == "Person":
        keys[ftm_id] = (Label.PERSON, ftm_id)
        nationality = _first(props, "nationality") or _first(props, "country")
        builder.node(Label.PERSON, ftm_id, ftm_id, name=_first(props, "name"),
                     nationality=str(nationality).upper() if nationality else None)
    else:
        parts = [str(_first(props, p)) for p in ("street", "city", "region", "country")
                 if _first(props, p)]
        keys[ftm_id] = (Label.ADDRESS, ftm_id)
        builder.node(Label.ADDRESS, ftm_id, ftm_id,
                     text=_first(props, "full") or ", ".join(parts) or None)


def _map_contract(builder: TableBuilder, entity: Entity, keys: Keys,
                  names: dict[str, Any]) -> None:
    ftm_id = str(entity["id"])
    props = entity.get("properties") or {}
    authority = _ref(_first(props, "authority"))
    buyer = names.get(authority or "") or (authority if authority not in names else None)
    found = keys.get(authority or "")
    region = found[1][2:8] if found and found[0] == Label.COMPANY else UNKNOWN_REGION
    kind = str(_first(props, "type") or "").strip().casefold()
    date = iso_date(_first(props, "contractDate") or _first(props, "date")
                    or _first(props, "startDate"))
    keys[ftm_id] = (Label.TENDER, ftm_id)
    builder.node(Label.TENDER, ftm_id, ftm_id, title=_first(props, "title")
                 or _first(props, "name"), buyer=buyer, region_code=region,
                 category=CONTRACT_TYPES.get(kind, kind or None),
                 estimated_value=_float(_first(props, "amount")), published_on=date,
                 deadline=date,
                 procedure=_procedure(_first(props, "method") or _first(props, "procedure")))


def _map_registration(builder: TableBuilder, result: ImportResult, where: str, entity: Entity,
                      keys: Keys) -> None:
    ftm_id = str(entity["id"])
    company = keys.get(ftm_id)
    target = _ref(_first(entity.get("properties") or {}, "addressEntity"))
    if company is None or target is None:
        return
    address = keys.get(target)
    if address is None or address[0] != Label.ADDRESS:
        result.rejects.append((where, ftm_id, f"addressEntity names {target!r}, which is not "
                               "an Address of this file"))
        return
    builder.rel(Rel.REGISTERED_AT, company[1], address[1], ftm_id)


def _map_link(builder: TableBuilder, result: ImportResult, where: str, entity: Entity,
              keys: Keys) -> None:
    schema, ftm_id = str(entity["schema"]), str(entity["id"])
    props = entity.get("properties") or {}

    def ref(name: str, *labels: Label) -> tuple[Label, str] | None:
        target = _ref(_first(props, name))
        found = keys.get(target) if target is not None else None
        if found is None:
            result.rejects.append((where, ftm_id, f"{schema}.{name} names {target!r}, which is "
                                   "not an entity of this file that could be imported"))
        elif found[0] not in labels:
            result.rejects.append((where, ftm_id, f"{schema}.{name} names {target!r}, a "
                                   f"{found[0].value}; expected "
                                   f"{' or '.join(label.value for label in labels)}"))
            return None
        return found

    start, end = iso_date(_first(props, "startDate")), iso_date(_first(props, "endDate"))
    if schema == "Ownership":
        owner = ref("owner", Label.PERSON, Label.COMPANY)
        asset = ref("asset", Label.COMPANY)
        if owner and asset:
            builder.rel(Rel.HOLDS_EQUITY, owner[1], asset[1], ftm_id, src_label=owner[0],
                        share=_float(_first(props, "percentage")), since=start, until=end)
    elif schema == "Directorship":
        director = ref("director", Label.PERSON)
        organization = ref("organization", Label.COMPANY)
        if director and organization:
            rel = directorship_rel(str(_first(props, "role") or ""))
            builder.rel(rel, director[1], organization[1], ftm_id, since=start, until=end)
    elif schema in ("Family", "Associate"):
        person = ref("person", Label.PERSON)
        other = ref("relative" if schema == "Family" else "associate", Label.PERSON)
        if person and other:
            builder.rel(Rel.FAMILY_OF if schema == "Family" else Rel.ASSOCIATE_OF, person[1],
                        other[1], ftm_id, relationship=_first(props, "relationship"),
                        since=start, until=end)
    elif schema == "Sanction":
        subject = ref("entity", Label.COMPANY, Label.PERSON)
        if subject:
            builder.node(Label.CREDIT_RECORD, ftm_id, ftm_id, category="blacklist",
                         kind="sanction", agency=_first(props, "authority"),
                         issued_on=start or iso_date(_first(props, "listingDate"))
                         or iso_date(_first(props, "date")),
                         removed_on=end, polarity=Polarity.NEGATIVE.value,
                         disclosure=Disclosure.PUBLIC.value)
            builder.rel(Rel.HAS_RECORD, subject[1], ftm_id, ftm_id, src_label=subject[0])
    elif schema == "ContractAward":
        _map_award(builder, result, where, entity, keys, ref)


def _map_award(builder: TableBuilder, result: ImportResult, where: str, entity: Entity,
               keys: Keys, ref: Any) -> None:
    ftm_id = str(entity["id"])
    props = entity.get("properties") or {}
    contract = ref("contract", Label.TENDER)
    suppliers = []
    for value in _values(props, "supplier"):
        target = _ref(value)
        found = keys.get(target or "")
        if found is None or found[0] != Label.COMPANY:
            result.rejects.append((where, ftm_id, f"ContractAward.supplier names {target!r}, "
                                   "which is not a company of this file that could be imported"))
            return
        suppliers.append(found[1])
    if not contract or not suppliers:
        if contract and not suppliers:
            result.rejects.append((where, ftm_id, "ContractAward names no supplier"))
        return
    date = iso_date(_first(props, "date") or _first(props, "startDate"))
    builder.node(Label.BID, ftm_id, ftm_id, tender_id=contract[1],
                 amount=_float(_first(props, "amount")),
                 submitted_at=f"{date}T00:00:00" if date else None, status=BidStatus.WON.value)
    builder.rel(Rel.FOR_TENDER, ftm_id, contract[1], ftm_id)
    for position, uscc in enumerate(suppliers):
        role = (BidRole.SOLE if len(suppliers) == 1
                else BidRole.LEAD if position == 0 else BidRole.MEMBER)
        builder.rel(Rel.SUBMITTED, uscc, ftm_id, ftm_id, role=role.value)

"""FollowTheMoney entities (JSON lines) → our model.

Mapping (docs/importers.md): Company / Organization / LegalEntity → ``:Company`` keyed by the
first valid USCC among registrationNumber, taxNumber, idNumber, uniqueEntityId, ogrnCode,
innCode (an entity without one is rejected: we key firms by USCC); Person → ``:Person`` (the FtM
id is the pseudonymous person_id); Address → ``:Address``; Ownership → HOLDS_EQUITY
(percentage → share); Directorship → LEGAL_REPRESENTATIVE_OF when the role names the legal
representative (法定代表人), SUPERVISOR_OF for supervisors (监事), ACTUAL_CONTROLLER_OF for
actual controllers (实际控制人), else DIRECTOR_OF; Family →
FAMILY_OF; Associate → ASSOCIATE_OF; Sanction → a blacklist ``:CreditRecord`` of kind
``sanction``; Contract → ``:Tender``; ContractAward → a winning ``:Bid`` of its supplier.
Other schemata are counted and reported, not fatal. Relationship entities naming an entity that
is not in the file (or was rejected) are rejected with that reason.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from graph.importers.common import ImportResult, TableBuilder, first_uscc, iso_date, json_lines
from graph.schema import BidRole, BidStatus, Disclosure, Label, Polarity, Rel, Severity

SOURCE = "ftm"
COMPANY_SCHEMATA = {"Company", "Organization", "LegalEntity", "PublicBody"}
ID_PROPERTIES = ("registrationNumber", "taxNumber", "idNumber", "uniqueEntityId", "ogrnCode",
                 "innCode", "leiCode")


def _first(props: dict[str, Any], name: str) -> Any:
    values = props.get(name) or []
    return values[0] if values else None


def import_ftm(path: Path) -> ImportResult:
    """Map a FollowTheMoney JSON-lines file to a World (two passes: entities, then links)."""
    builder = TableBuilder(SOURCE)
    result = ImportResult(builder.world())
    entities: list[tuple[str, dict[str, Any]]] = []
    for number, obj, error in json_lines(path):
        where = f"{path.name}:{number}"
        if error or not isinstance(obj, dict) or "schema" not in obj or "id" not in obj:
            result.rejects.append((where, "", error or "not a FollowTheMoney entity "
                                   "(needs id and schema)"))
            continue
        entities.append((where, obj))
    keys: dict[str, tuple[Label, str]] = {}
    for where, entity in entities:
        _map_thing(builder, result, where, entity, keys)
    for where, entity in entities:
        _map_link(builder, result, where, entity, keys)
    result.world = builder.world()
    return result


def _map_thing(builder: TableBuilder, result: ImportResult, where: str, entity: dict[str, Any],
               keys: dict[str, tuple[Label, str]]) -> None:
    schema, ftm_id = str(entity["schema"]), str(entity["id"])
    props = entity.get("properties") or {}
    result.counts[schema] += 1
    if schema in COMPANY_SCHEMATA:
        uscc = first_uscc([v for name in ID_PROPERTIES for v in props.get(name) or []])
        if uscc is None:
            result.rejects.append((where, ftm_id, f"{schema} has no valid USCC among "
                                   f"{', '.join(ID_PROPERTIES)}"))
            return
        keys[ftm_id] = (Label.COMPANY, uscc)
        dissolved = iso_date(_first(props, "dissolutionDate"))
        builder.node(Label.COMPANY, uscc, ftm_id, name=_first(props, "name") or uscc,
                     region_code=uscc[2:8], founded_on=iso_date(_first(props,
                                                                       "incorporationDate")),
                     dissolved_on=dissolved, status="dissolved" if dissolved else "active")
    elif schema == "Person":
        keys[ftm_id] = (Label.PERSON, ftm_id)
        nationality = _first(props, "nationality") or _first(props, "country")
        builder.node(Label.PERSON, ftm_id, ftm_id, name=_first(props, "name") or ftm_id,
                     nationality=str(nationality).upper() if nationality else None)
    elif schema == "Address":
        text = _first(props, "full") or ", ".join(
            str(_first(props, p)) for p in ("street", "city", "region") if _first(props, p))
        keys[ftm_id] = (Label.ADDRESS, ftm_id)
        builder.node(Label.ADDRESS, ftm_id, ftm_id, text=text or None)
    elif schema == "Contract":
        keys[ftm_id] = (Label.TENDER, ftm_id)
        date = iso_date(_first(props, "contractDate") or _first(props, "date")
                        or _first(props, "startDate"))
        builder.node(Label.TENDER, ftm_id, ftm_id, title=_first(props, "title"),
                     buyer=_first(props, "authority"), region_code="000000",
                     category=_first(props, "type") or "unknown",
                     estimated_value=_float(_first(props, "amount")),
                     published_on=date, deadline=date, procedure=None)


_LINKS = {"Ownership", "Directorship", "Family", "Associate", "Sanction", "ContractAward",
          "UnknownLink"}


def _map_link(builder: TableBuilder, result: ImportResult, where: str, entity: dict[str, Any],
              keys: dict[str, tuple[Label, str]]) -> None:
    schema, ftm_id = str(entity["schema"]), str(entity["id"])
    props = entity.get("properties") or {}
    known = COMPANY_SCHEMATA | {"Person", "Address", "Contract"}
    if schema in known:
        return
    if schema not in _LINKS - {"UnknownLink"}:
        result.unknown[schema] += 1
        if schema not in result.counts:
            result.counts[schema] += 1
        return

    def ref(name: str) -> tuple[Label, str] | None:
        target = _first(props, name)
        if isinstance(target, dict):
            target = target.get("id")
        found = keys.get(str(target)) if target is not None else None
        if found is None:
            result.rejects.append((where, ftm_id, f"{schema}.{name} names {target!r}, which is "
                                   "not an entity of this file that could be imported"))
        return found

    start, end = iso_date(_first(props, "startDate")), iso_date(_first(props, "endDate"))
    if schema == "Ownership":
        owner, asset = ref("owner"), ref("asset")
        if owner and asset:
            builder.rel(Rel.HOLDS_EQUITY, owner[1], asset[1], ftm_id, src_label=owner[0],
                        share=_float(_first(props, "percentage")), since=start, until=end)
    elif schema == "Directorship":
        director, org = ref("director"), ref("organization")
        if director and org:
            role = str(_first(props, "role") or "").lower()
            rel = (Rel.LEGAL_REPRESENTATIVE_OF if "legal representative" in role
                   or "法定代表人" in role else Rel.SUPERVISOR_OF
                   if "supervisor" in role or "监事" in role else Rel.ACTUAL_CONTROLLER_OF
                   if "controller" in role or "实际控制人" in role else Rel.DIRECTOR_OF)
            builder.rel(rel, director[1], org[1], ftm_id, since=start, until=end)
    elif schema in ("Family", "Associate"):
        person = ref("person")
        other = ref("relative" if schema == "Family" else "associate")
        if person and other:
            builder.rel(Rel.FAMILY_OF if schema == "Family" else Rel.ASSOCIATE_OF, person[1],
                        other[1], ftm_id, relationship=_first(props, "relationship"),
                        since=start, until=end)
    elif schema == "Sanction":
        subject = ref("entity")
        if subject:
            builder.node(Label.CREDIT_RECORD, f"ftm-{ftm_id}", ftm_id, category="blacklist",
                         kind="sanction", agency=_first(props, "authority") or "unknown",
                         issued_on=start or iso_date(_first(props, "listingDate")),
                         removed_on=end, polarity=Polarity.NEGATIVE.value,
                         severity=Severity.SERIOUS.value, disclosure=Disclosure.PUBLIC.value)
            builder.rel(Rel.HAS_RECORD, subject[1], f"ftm-{ftm_id}", ftm_id,
                        src_label=subject[0])
    elif schema == "ContractAward":
        supplier, contract = ref("supplier"), ref("contract")
        if supplier and contract:
            bid_id = f"ftm-{ftm_id}"
            builder.node(Label.BID, bid_id, ftm_id, tender_id=contract[1],
                         amount=_float(_first(props, "amount")),
                         submitted_at=(start or iso_date(_first(props, "date")) or "")
                         + "T00:00:00" if (start or _first(props, "date")) else None,
                         status=BidStatus.WON.value)
            builder.rel(Rel.FOR_TENDER, bid_id, contract[1], ftm_id)
            builder.rel(Rel.SUBMITTED, supplier[1], bid_id, ftm_id, role=BidRole.SOLE.value)


def _float(value: Any) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None

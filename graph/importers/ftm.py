"""FollowTheMoney entities → our model: JSON lines, JSON arrays, yente delta files, fragments.

Input (graph/importers/reading.py reads it, any encoding): one ``{id, schema, properties}`` per
line or in a JSON array, or yente's delta format ``{"op": "ADD"|"MOD"|"DEL", "entity": ...}``
(ops apply in order: ADD / MOD replace an earlier version of the id, which is then rejected
as replaced; DEL deletes it, rejecting it as deleted). Several fragments of one id (``ftm``
fragments before aggregation): a thing's fragments are merged, property values unioned in
order; a link's fragments stay separate links (each pairs its own values). A fragment of an
incompatible schema is rejected.

Mapping (docs/importers.md has the table):

- Company, Organization, LegalEntity → ``:Company`` keyed by graph/importers/firm_keys.py
  (USCC, LEI, INN / OGRN, ``<jurisdiction>-registration:<number>``, else ``ftm:<id>``);
  ``entity_type`` keeps the schema (so Organization stays Organization on export),
  ``jurisdiction`` (else ``country``) the country; status from ``status`` if ours, else
  ``dissolved`` with a dissolutionDate, else ``active``; each ``addressEntity`` →
  ``REGISTERED_AT``; names as for Person (below). A PublicBody is a company when it has a
  registry identifier; otherwise it only names the buyer of the contracts it authorises.
- Person → ``:Person`` (the FtM id is the person_id; ``nationality``, ``country``); each
  ``addressEntity`` → ``RESIDES_AT``. Names, every value: the first ``name`` → ``name``, the
  further ones → ``other_names``; ``alias`` → ``aliases``, ``previousName`` →
  ``previous_names``, ``weakAlias`` → ``weak_aliases``. Address → ``:Address``.
- Links, every value kept: Ownership → ``HOLDS_EQUITY`` (owners × assets; when owner, asset and
  percentage lists have one length they pair by position, as ``ftm aggregate`` leaves them);
  Directorship (role keywords, ``DIRECTORSHIP_ROLES``), Family, Associate likewise; Sanction →
  ``:CreditRecord`` (blacklist / sanction) with ``HAS_RECORD`` from each entity;
  Contract → ``:Tender``; ContractAward → a winning ``:Bid`` of its supplier(s).
- Any other schema (Payment, Passport, ...) is rejected with that reason (and counted in
  ``unknown``). A link naming an entity absent from the file, one that could not be imported,
  or one of the wrong kind is rejected with that reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from riskgraph.graph.identifiers import IdentifierError, region_of, scheme_of
from riskgraph.graph.importers.common import (
    AmountError,
    ImportResult,
    TableBuilder,
    iso_date,
    parse_amount,
)
from riskgraph.graph.importers.firm_keys import ftm_company_key
from riskgraph.graph.importers.ocds import UNKNOWN_REGION
from riskgraph.graph.importers.reading import Unreadable, read_units
from riskgraph.graph.schema import (
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
LINK_SCHEMATA = frozenset({"Ownership", "Directorship", "Family", "Associate", "Sanction",
                           "ContractAward"})
ENTITY_TYPES = {"Company": "company", "Organization": "organization",
                "LegalEntity": "legal_entity", "PublicBody": "public_body"}
_SPECIFIC = {"LegalEntity": 0, "Organization": 1, "Company": 2, "PublicBody": 2}
"""Fragments of LegalEntity and a more specific schema merge under the more specific one."""

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

Keys = dict[str, tuple[Label, str]]


@dataclass
class _Entity:
    where: str
    id: str
    schema: str
    props: dict[str, list[Any]]
    fragments: int = 1
    extra: list[tuple[str, dict[str, list[Any]]]] = field(default_factory=list)
    """Further fragments of a link (each its own link)."""


def _values(props: dict[str, Any], name: str) -> list[Any]:
    value = props.get(name)
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _first(props: dict[str, Any], name: str) -> Any:
    for value in _values(props, name):
        if value not in (None, ""):
            return value
    return None


def _text(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("id")
    if isinstance(value, str) and value.strip():
        return value.strip()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


NAME_LISTS = (("alias", "aliases"), ("previousName", "previous_names"),
              ("weakAlias", "weak_aliases"))
"""FtM name properties → our ``strings`` props (each kept apart, exported back as it came)."""


def _names(props: dict[str, list[Any]]) -> dict[str, Any]:
    """``name`` (the first name), ``other_names`` (the further ones) and the alias lists, every
    value kept once in its order (None where there is none)."""
    names = list(dict.fromkeys(t for t in map(_text, _values(props, "name")) if t))
    out: dict[str, Any] = {"name": names[0] if names else None,
                           "other_names": names[1:] or None}
    for ftm, ours in NAME_LISTS:
        out[ours] = list(dict.fromkeys(t for t in map(_text, _values(props, ftm)) if t)) or None
    return out


def _props(raw: Any) -> dict[str, list[Any]] | None:
    """Properties as lists of values (FtM stores lists; a bare value is one value)."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        return None
    return {str(k): (v if isinstance(v, list) else [v]) for k, v in raw.items()}


def directorship_rel(role: str) -> Rel:
    """The relationship type a Directorship ``role`` text stands for."""
    text = role.casefold()
    for rel, words in DIRECTORSHIP_ROLES:
        if any(word in text for word in words):
            return rel
    return Rel.DIRECTOR_OF


def _procedure(text: Any) -> str | None:
    if not isinstance(text, str) or not text.strip():
        return None
    lowered = text.casefold()
    for word, procedure in PROCEDURE_WORDS:
        if word in lowered:
            return procedure.value
    return text  # validation names it


def _read(path: Path, encoding: str | None, result: ImportResult) -> dict[str, _Entity]:
    """The entities of the file after ops and fragments (ordered by first appearance)."""
    entities: dict[str, _Entity] = {}
    for unit in read_units(path, encoding):
        if isinstance(unit, Unreadable):
            result.unreadable(unit.where, unit.reason)
            continue
        where, obj = unit.where, unit.value
        op = None
        if isinstance(obj, dict) and "op" in obj and "entity" in obj:
            op = str(obj["op"]).upper()
            obj = obj["entity"]
            if op == "DEL":
                _delete(entities, result, where, obj)
                continue
            if op not in ("ADD", "MOD"):
                result.seen("object")
                result.reject("object", where, "", f"unknown delta op {op[:20]!r} (ADD, MOD, "
                                                   "DEL)")
                continue
        ftm_id = _text(obj.get("id")) if isinstance(obj, dict) else None
        schema = obj.get("schema") if isinstance(obj, dict) else None
        props = _props(obj.get("properties")) if isinstance(obj, dict) else None
        if ftm_id is None or not isinstance(schema, str) or not schema or props is None:
            result.seen("object")
            result.reject("object", where, ftm_id or "", "not a FollowTheMoney entity (needs a "
                                                         "text id, a schema and properties)")
            continue
        result.seen(schema)
        entity = _Entity(where, ftm_id, schema, props)
        earlier = entities.get(ftm_id)
        if earlier is None:
            entities[ftm_id] = entity
        elif op is not None:
            _reject_entity(result, earlier, f"replaced by the {op} op at {where}")
            entities[ftm_id] = entity
        else:
            _fragment(result, earlier, entity)
    return entities


def _delete(entities: dict[str, _Entity], result: ImportResult, where: str, obj: Any) -> None:
    result.seen("delete op")
    target = _text(obj.get("id")) if isinstance(obj, dict) else _text(obj)
    earlier = entities.pop(target, None) if target else None
    if earlier is None:
        result.reject("delete op", where, target or "", "DEL of an entity not given earlier "
                                                        "in this file (nothing to delete)")
        return
    _reject_entity(result, earlier, f"deleted by the DEL op at {where}")
    result.ok("delete op")


def _reject_entity(result: ImportResult, entity: _Entity, reason: str) -> None:
    result.reject(entity.schema, entity.where, entity.id, reason)
    result.rejected[entity.schema] += entity.fragments - 1


def _fragment(result: ImportResult, earlier: _Entity, entity: _Entity) -> None:
    """Merge a further fragment of an id (see the module docstring)."""
    same = earlier.schema == entity.schema
    both_firms = {earlier.schema, entity.schema} <= set(_SPECIFIC)
    if not same and not both_firms:
        result.reject(entity.schema, entity.where, entity.id,
                      f"id already used by a {earlier.schema} at {earlier.where}")
        return
    result.notes["fragments merged"] += 1
    if not same:
        result.counts[entity.schema] -= 1  # counted under the schema the entity ends up with
        result.counts[earlier.schema] += 1
        if _SPECIFIC[entity.schema] > _SPECIFIC[earlier.schema]:
            result.counts[earlier.schema] -= earlier.fragments
            result.counts[entity.schema] += earlier.fragments
            earlier.schema = entity.schema
    earlier.fragments += 1
    if earlier.schema in LINK_SCHEMATA:
        earlier.extra.append((entity.where, entity.props))
        return
    for name, values in entity.props.items():
        kept = earlier.props.setdefault(name, [])
        kept.extend(v for v in values if v not in kept)


def import_ftm(path: Path, encoding: str | None = None) -> ImportResult:
    """Map a FollowTheMoney file to a World; every entity is mapped or rejected."""
    builder = TableBuilder(SOURCE)
    result = ImportResult(builder.world())
    entities = _read(path, encoding, result)
    names = {e.id: _first(e.props, "name") for e in entities.values()}
    keys: Keys = {}
    outcome: dict[str, str | None] = {}
    order = sorted(entities.values(), key=lambda e: 2 if e.schema in LINK_SCHEMATA
                   else 1 if e.schema == "Contract" else 0)
    for entity in order:
        if entity.schema in THING_SCHEMATA:
            outcome[entity.id] = _map_thing(builder, entity, keys, names)
        elif entity.schema in LINK_SCHEMATA:
            outcome[entity.id] = _map_link(builder, entity, keys)
        else:
            result.unknown[entity.schema] += 1
            outcome[entity.id] = (f"schema {entity.schema} is not mapped (riskgraph has no "
                                  "node or relationship for it)")
    for entity in entities.values():
        if entity.schema in THING_SCHEMATA and outcome[entity.id] is None:
            problem = _map_addresses(builder, entity, keys)
            if problem:
                result.seen("address link")
                result.reject("address link", entity.where, entity.id, problem)
    for entity in entities.values():
        reason = outcome[entity.id]
        if reason is None:
            result.mapped[entity.schema] += entity.fragments
        else:
            _reject_entity(result, entity, reason)
    result.world = builder.world()
    return result


def _map_thing(builder: TableBuilder, entity: _Entity, keys: Keys,
               names: dict[str, Any]) -> str | None:
    """Map a thing; None when mapped, else the reason it is rejected."""
    schema, ftm_id, props = entity.schema, entity.id, entity.props
    if schema in COMPANY_SCHEMATA:
        try:
            key = ftm_company_key(props, ftm_id)
        except IdentifierError as exc:
            return f"no usable firm identifier: {exc}"
        if schema == "PublicBody" and key.startswith("ftm:"):
            return None  # no registry identifier: only the buyer name of its contracts
        keys[ftm_id] = (Label.COMPANY, key)
        dissolved = iso_date(_first(props, "dissolutionDate"))
        status = str(_first(props, "status") or "").casefold()
        if status not in {s.value for s in CompanyStatus}:
            status = CompanyStatus.DISSOLVED if dissolved else CompanyStatus.ACTIVE
        jurisdiction = _first(props, "jurisdiction") or _first(props, "country")
        builder.node(Label.COMPANY, key, ftm_id, **_names(props),
                     region_code=region_of(key), id_scheme=scheme_of(key),
                     founded_on=iso_date(_first(props, "incorporationDate")),
                     dissolved_on=dissolved, status=str(status),
                     entity_type=ENTITY_TYPES[schema],
                     jurisdiction=str(jurisdiction).lower() if jurisdiction else None)
    elif schema == "Person":
        keys[ftm_id] = (Label.PERSON, ftm_id)
        nationality, country = _first(props, "nationality"), _first(props, "country")
        builder.node(Label.PERSON, ftm_id, ftm_id, **_names(props),
                     nationality=str(nationality).upper() if nationality else None,
                     country=str(country).upper() if country else None)
    elif schema == "Address":
        parts = [str(_first(props, p)) for p in ("street", "city", "region", "country")
                 if _first(props, p)]
        keys[ftm_id] = (Label.ADDRESS, ftm_id)
        builder.node(Label.ADDRESS, ftm_id, ftm_id,
                     text=_text(_first(props, "full")) or ", ".join(parts) or None)
    else:
        return _map_contract(builder, entity, keys, names)
    return None


def _map_contract(builder: TableBuilder, entity: _Entity, keys: Keys,
                  names: dict[str, Any]) -> str | None:
    ftm_id, props = entity.id, entity.props
    authority = _text(_first(props, "authority"))
    buyer = names.get(authority or "") or (authority if authority not in names else None)
    found = keys.get(authority or "")
    region = (region_of(found[1]) if found and found[0] == Label.COMPANY else None)
    kind = str(_first(props, "type") or "").strip().casefold()
    date = iso_date(_first(props, "contractDate") or _first(props, "date")
                    or _first(props, "startDate"))
    try:
        amount = parse_amount(_first(props, "amount"))
    except AmountError as exc:
        return f"Contract.amount {exc}"
    keys[ftm_id] = (Label.TENDER, ftm_id)
    builder.node(Label.TENDER, ftm_id, ftm_id, title=_text(_first(props, "title"))
                 or _text(_first(props, "name")), buyer=_text(buyer),
                 region_code=region or UNKNOWN_REGION,
                 category=CONTRACT_TYPES.get(kind, kind or None), estimated_value=amount,
                 published_on=date, deadline=date,
                 procedure=_procedure(_first(props, "method") or _first(props, "procedure")))
    return None


def _map_addresses(builder: TableBuilder, entity: _Entity, keys: Keys) -> str | None:
    """``addressEntity`` links of a mapped company or person (every value)."""
    owner = keys.get(entity.id)
    if owner is None or owner[0] not in (Label.COMPANY, Label.PERSON):
        return None
    rel = Rel.REGISTERED_AT if owner[0] == Label.COMPANY else Rel.RESIDES_AT
    bad = []
    for value in _values(entity.props, "addressEntity"):
        target = _text(value)
        address = keys.get(target or "")
        if address is None or address[0] != Label.ADDRESS:
            bad.append(repr(target))
            continue
        builder.rel(rel, owner[1], address[1], entity.id)
    if bad:
        return (f"addressEntity names {', '.join(bad)}, not an Address of this file "
                f"(the other address links are kept)")
    return None


def _refs(props: dict[str, list[Any]], name: str, keys: Keys, labels: tuple[Label, ...],
          problems: list[str], schema: str) -> list[tuple[Label, str]]:
    found: list[tuple[Label, str]] = []
    values = _values(props, name)
    if not values:
        problems.append(f"{schema}.{name} is missing")
    for value in values:
        target = _text(value)
        got = keys.get(target) if target is not None else None
        if got is None:
            problems.append(f"{schema}.{name} names {target!r}, which is not an entity of this "
                            "file that could be imported")
        elif got[0] not in labels:
            problems.append(f"{schema}.{name} names {target!r}, a {got[0].value}; expected "
                            f"{' or '.join(label.value for label in labels)}")
        else:
            found.append(got)
    return found


def _pairs(a: list[Any], b: list[Any], extra: list[Any]) -> list[tuple[Any, Any, Any]]:
    """(a, b, extra) combinations: by position when all three have one length (> 1), else
    every a × b with the single extra value (or None)."""
    if len(a) == len(b) == len(extra) > 1:
        return list(zip(a, b, extra, strict=True))
    single = extra[0] if extra else None
    return [(x, y, single) for x in a for y in b if x != y]


def _map_link(builder: TableBuilder, entity: _Entity, keys: Keys) -> str | None:
    """Map a link entity and its further fragments; None when all mapped, else the reason."""
    problems: list[str] = []
    for props in [entity.props, *(p for _, p in entity.extra)]:
        problems += _map_link_props(builder, entity.schema, entity.id, props, keys)
    return "; ".join(dict.fromkeys(problems)) if problems else None


def _map_link_props(builder: TableBuilder, schema: str, ftm_id: str,
                    props: dict[str, list[Any]], keys: Keys) -> list[str]:
    problems: list[str] = []
    start, end = iso_date(_first(props, "startDate")), iso_date(_first(props, "endDate"))
    if schema == "Ownership":
        owners = _refs(props, "owner", keys, (Label.PERSON, Label.COMPANY), problems, schema)
        assets = _refs(props, "asset", keys, (Label.COMPANY,), problems, schema)
        shares: list[float | None] = []
        for value in _values(props, "percentage"):
            try:
                shares.append(parse_amount(str(value).replace("%", "").strip()))
            except AmountError as exc:
                problems.append(f"Ownership.percentage {exc}")
        if len(shares) > 1 and not len(owners) == len(assets) == len(shares):
            problems.append(f"{len(shares)} percentages do not pair with {len(owners)} "
                            f"owner(s) and {len(assets)} asset(s)")
        if problems:
            return problems
        for owner, asset, share in _pairs(owners, assets, shares):
            builder.rel(Rel.HOLDS_EQUITY, owner[1], asset[1], ftm_id, src_label=owner[0],
                        share=share, since=start, until=end)
    elif schema == "Directorship":
        directors = _refs(props, "director", keys, (Label.PERSON,), problems, schema)
        firms = _refs(props, "organization", keys, (Label.COMPANY,), problems, schema)
        if problems:
            return problems
        rel = directorship_rel(" ".join(str(v) for v in _values(props, "role")))
        for director, firm, _ in _pairs(directors, firms, []):
            builder.rel(rel, director[1], firm[1], ftm_id, since=start, until=end)
    elif schema in ("Family", "Associate"):
        people = _refs(props, "person", keys, (Label.PERSON,), problems, schema)
        others = _refs(props, "relative" if schema == "Family" else "associate", keys,
                       (Label.PERSON,), problems, schema)
        if problems:
            return problems
        rel = Rel.FAMILY_OF if schema == "Family" else Rel.ASSOCIATE_OF
        relationship = _text(_first(props, "relationship"))
        for person, other, _ in _pairs(people, others, []):
            builder.rel(rel, person[1], other[1], ftm_id, relationship=relationship,
                        since=start, until=end)
    elif schema == "Sanction":
        subjects = _refs(props, "entity", keys, (Label.COMPANY, Label.PERSON), problems, schema)
        if problems:
            return problems
        builder.node(Label.CREDIT_RECORD, ftm_id, ftm_id, category="blacklist",
                     kind="sanction", agency=_text(_first(props, "authority")),
                     issued_on=start or iso_date(_first(props, "listingDate"))
                     or iso_date(_first(props, "date")),
                     removed_on=end, polarity=Polarity.NEGATIVE.value,
                     disclosure=Disclosure.PUBLIC.value)
        for subject in subjects:
            builder.rel(Rel.HAS_RECORD, subject[1], ftm_id, ftm_id, src_label=subject[0])
    else:
        return _map_award(builder, ftm_id, props, keys)
    return problems


def _map_award(builder: TableBuilder, ftm_id: str, props: dict[str, list[Any]],
               keys: Keys) -> list[str]:
    problems: list[str] = []
    contracts = _refs(props, "contract", keys, (Label.TENDER,), problems, "ContractAward")
    suppliers = _refs(props, "supplier", keys, (Label.COMPANY,), problems, "ContractAward")
    try:
        amount = parse_amount(_first(props, "amount"))
    except AmountError as exc:
        problems.append(f"ContractAward.amount {exc}")
    if problems:
        return problems
    contract = contracts[0][1]
    date = iso_date(_first(props, "date") or _first(props, "startDate"))
    builder.node(Label.BID, ftm_id, ftm_id, tender_id=contract, amount=amount,
                 submitted_at=f"{date}T00:00:00" if date else None, status=BidStatus.WON.value)
    builder.rel(Rel.FOR_TENDER, ftm_id, contract, ftm_id)
    firms = list(dict.fromkeys(s[1] for s in suppliers))
    for position, firm in enumerate(firms):
        role = (BidRole.SOLE if len(firms) == 1
                else BidRole.LEAD if position == 0 else BidRole.MEMBER)
        builder.rel(Rel.SUBMITTED, firm, ftm_id, ftm_id, role=role.value)
    return []

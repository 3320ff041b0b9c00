"""The registry's node types: companies, people and their roles, addresses, credit records
(one type per PCI category), tenders and bids.

They sit in one module because they point at one another (a company's officers are people,
a person's roles name companies, a company's bids name tenders whose bidders are companies):
split across modules, those references would be an import circle. Records only ever reach
these types through statements that apply the caller's disclosure filter
(app/security/principal.py).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from riskgraph.app.graphql.common.convert import day, number, text
from riskgraph.app.graphql.common.enums import (
    NAMESPACE,
    DisclosureClass,
    IdentifierScheme,
    InspectionOutcomeEnum,
    InspectionStreamEnum,
    PciCategory,
    RecordKind,
    member,
)
from riskgraph.app.graphql.common.fields import described
from riskgraph.app.graphql.common.names import DESCRIPTIONS, names_from
from riskgraph.app.graphql.common.node import Node
from riskgraph.app.graphql.loaders import loaders_of
from riskgraph.app.graphql.permissions import require
from riskgraph.app.graphql.risk.explanations import explain_for
from riskgraph.app.graphql.risk.types import Explanation, RiskAssessment, assessment_from_row
from riskgraph.app.security.principal import Role as CallerRole
from riskgraph.graph.identifiers import BUILTIN_SCHEMES, scheme_of
from riskgraph.graph.schema import category_label, pci_categories

OLD = "Use {0} (an enum); removed in 0.3."

OldCategory = Annotated[str | None, strawberry.argument(
    description="Only records of this PCI category, as text.",
    deprecation_reason="Use pciCategory (an enum); removed in 0.3.")]
CategoryArg = Annotated[PciCategory | None, strawberry.argument(
    description="Only records of this PCI category.")]


def category_of(category: str | None, pci_category: PciCategory | None) -> str | None:
    """The category asked for, by either spelling (the enum wins when both are given)."""
    return category if pci_category is None else str(pci_category.value)


@strawberry.interface(description="An entity with FollowTheMoney name lists besides its "
                                  "`name` (a company or a person).")
class NamedEntity:
    async def _names(self, info: Info[Any, Any], field: str) -> list[str]:
        """The name list ``field`` of this entity (each implementing type reads its own)."""
        raise NotImplementedError

    @described(DESCRIPTIONS["other_names"])
    async def other_names(self, info: Info[Any, Any]) -> list[str]:
        return await self._names(info, "other_names")

    @described(DESCRIPTIONS["aliases"])
    async def aliases(self, info: Info[Any, Any]) -> list[str]:
        return await self._names(info, "aliases")

    @described(DESCRIPTIONS["previous_names"])
    async def previous_names(self, info: Info[Any, Any]) -> list[str]:
        return await self._names(info, "previous_names")

    @described(DESCRIPTIONS["weak_aliases"])
    async def weak_aliases(self, info: Info[Any, Any]) -> list[str]:
        return await self._names(info, "weak_aliases")


@strawberry.type(description="A registered market entity.")
class Company(Node, NamedEntity):
    uscc: str = strawberry.field(description="18-character Unified Social Credit Code")
    name: str = strawberry.field(description="Registered name.")
    region_code: str | None = strawberry.field(description="GB/T 2260 six-digit region code.")
    industry_code: str | None = strawberry.field(
        description="GB/T 4754 section letter and division, e.g. C13.")
    founded_on: dt.date | None = strawberry.field(description="Day of registration.")
    dissolved_on: dt.date | None = strawberry.field(description="Day of dissolution, if any.")
    status: str | None = strawberry.field(description="active, dissolved, revoked or "
                                                      "suspended.")
    registered_capital: float | None = strawberry.field(description="Registered capital, RMB.")
    employees: int | None = strawberry.field(description="Number of employees, if known.")
    ownership: strawberry.Private[str | None]
    listed: bool | None = strawberry.field(description="Whether the firm is listed on a stock "
                                                       "exchange.")

    def node_key(self) -> tuple[str, str]:
        return "Company", self.uscc

    @described("The scheme of the firm's identifier (`uscc`).")
    def id_scheme(self) -> IdentifierScheme:
        scheme = scheme_of(self.uscc)
        return IdentifierScheme(scheme if scheme in BUILTIN_SCHEMES else NAMESPACE)

    @described("The registry namespace of the identifier when `idScheme` is NAMESPACE, else "
               "null.")
    def id_namespace(self) -> str | None:
        scheme = scheme_of(self.uscc)
        return None if scheme in BUILTIN_SCHEMES else scheme

    @described("Ownership type (state-owned, private, ...): a protected attribute (the "
               "fairness audit groups by it), for agency roles only (FORBIDDEN otherwise).")
    def ownership_type(self, info: Info[Any, Any]) -> str | None:
        require(info, CallerRole.INVESTIGATOR, "a firm's ownership type")
        return self.ownership

    async def _names(self, info: Info[Any, Any], field: str) -> list[str]:
        return names_from(await loaders_of(info).company_names.load(self.uscc), field)

    @described("Key persons (legal representative, directors, "
                                  "supervisors, actual controller), current and past.")
    async def officers(
        self, info: Info[Any, Any], current_only: Annotated[bool, strawberry.argument(
            description="Only the roles held now (default); false adds past ones.")] = True,
    ) -> list[Officer]:
        rows = await loaders_of(info).officers.load(self.uscc)
        return [officer_from_row(r) for r in rows if not current_only or r.get("until") is None]

    @described("Current legal representatives.")
    async def legal_representatives(
        self, info: Info[Any, Any],
    ) -> list[Person]:
        rows = await loaders_of(info).officers.load(self.uscc)
        return [person_from_row(r) for r in rows
                if r["role"] == "LEGAL_REPRESENTATIVE_OF" and r.get("until") is None]

    @described("Credit records of the firm that the caller may see.")
    async def records(self, info: Info[Any, Any], category: OldCategory = None,
                      pci_category: CategoryArg = None) -> list[CreditRecord]:
        return filter_records(await loaders_of(info).company_records.load(self.uscc),
                              category_of(category, pci_category))

    @described("Registered addresses.")
    async def addresses(
        self, info: Info[Any, Any],
    ) -> list[Address]:
        return [address_from_row(r)
                for r in await loaders_of(info).company_addresses.load(self.uscc)]

    @described("Bids the firm submitted (alone or in a consortium).")
    async def bids(
        self, info: Info[Any, Any],
    ) -> list[CompanyBid]:
        return [company_bid_from_row(r)
                for r in await loaders_of(info).company_bids.load(self.uscc)]

    @described("The firm's assessment in the latest ranking run, if any (agency roles only: "
               "risk scores are never public).")
    async def assessment(
        self, info: Info[Any, Any],
    ) -> RiskAssessment | None:
        require(info, CallerRole.INVESTIGATOR, "a risk assessment")
        row = await loaders_of(info).company_assessment.load(self.uscc)
        return assessment_from_row(row) if row else None

    @described("Why the firm scores as it does, with the evidence the caller may see "
               "(needs a trained model).")
    async def explanation(
        self, info: Info[Any, Any], as_of: Annotated[dt.date | None, strawberry.argument(
            description="Explain the score as of this day (default: the graph's data "
                        "date).")] = None,
    ) -> Explanation:
        return await explain_for(info, self.uscc, as_of)

    @described("The firm this record is a copy of, when another source's record of a firm is "
               "linked SAME_AS it by the entity resolution (docs/entity-resolution.md): its "
               "registry firm (for sources without a registry, the entity's smallest key), "
               "which every feature, ranking and explanation counts this record's facts "
               "for. Null for a registry firm and for a record linked to no firm.")
    async def registry_firm(self, info: Info[Any, Any]) -> Company | None:
        group = await loaders_of(info).firm_group.load(self.uscc)
        return None if group.canonical == self.uscc else await load_company(info, group.canonical)

    @described("Other sources' records of this firm (linked SAME_AS it by the entity "
               "resolution), whose facts count as this firm's; empty for a firm without "
               "copies and for a copy.")
    async def copies(self, info: Info[Any, Any]) -> list[Company]:
        group = await loaders_of(info).firm_group.load(self.uscc)
        return [] if group.canonical != self.uscc else await load_companies(
            info, list(group.copies))


def company_from_row(row: dict[str, Any]) -> Company:
    """A Company from a row of ``get_companies`` / ``search_companies``."""
    return Company(
        uscc=str(row["uscc"]), name=str(row.get("name") or ""),
        region_code=text(row.get("region_code")), industry_code=text(row.get("industry_code")),
        founded_on=day(row.get("founded_on")), dissolved_on=day(row.get("dissolved_on")),
        status=text(row.get("status")), registered_capital=number(row.get("registered_capital")),
        employees=None if row.get("employees") is None else int(row["employees"]),
        ownership=text(row.get("ownership_type")),
        listed=None if row.get("listed") is None else bool(row["listed"]),
    )


async def load_company(info: Info[Any, Any], uscc: str) -> Company | None:
    row = await loaders_of(info).company.load(uscc)
    return company_from_row(row) if row else None


async def load_companies(info: Info[Any, Any], usccs: list[str]) -> list[Company]:
    """Companies in the order given (missing ones dropped), in one batch."""
    rows = await loaders_of(info).company.load_many(usccs)
    return [company_from_row(r) for r in rows if isinstance(r, dict)]


@strawberry.type(description="A natural person holding roles in firms.")
class Person(Node, NamedEntity):
    person_id: str = strawberry.field(description="The person's id in the graph.")
    name: str = strawberry.field(description="The person's name.")
    nationality: str | None = strawberry.field(description="ISO 3166 country code, if known.")
    political: strawberry.Private[bool | None]

    def node_key(self) -> tuple[str, str]:
        return "Person", self.person_id

    @described("Whether the person is politically connected: a protected attribute (the "
               "fairness audit groups by it), for agency roles only (FORBIDDEN otherwise).")
    def political_connection(self, info: Info[Any, Any]) -> bool | None:
        require(info, CallerRole.INVESTIGATOR, "a person's political connection")
        return self.political

    async def _names(self, info: Info[Any, Any], field: str) -> list[str]:
        return names_from(await loaders_of(info).person_names.load(self.person_id), field)

    @described("Roles and shareholdings in firms.")
    async def roles(self, info: Info[Any, Any], current_only: Annotated[
            bool, strawberry.argument(description="Only the roles held now; default: all, "
                                                  "past ones too.")] = False) -> list[Role]:
        rows = await loaders_of(info).person_roles.load(self.person_id)
        return [role_from_row(r) for r in rows if not current_only or r.get("until") is None]

    @described("Credit records of the person that the caller may see.")
    async def records(self, info: Info[Any, Any], category: OldCategory = None,
                      pci_category: CategoryArg = None) -> list[CreditRecord]:
        rows = await loaders_of(info).person_records.load(self.person_id)
        return filter_records(rows, category_of(category, pci_category))


@strawberry.type(description="A person's role (or shareholding) in a firm.")
class Role:
    role: str = strawberry.field(description="LEGAL_REPRESENTATIVE_OF, DIRECTOR_OF, ..., "
                                             "or HOLDS_EQUITY")
    share: float | None = strawberry.field(description="Percent, for HOLDS_EQUITY")
    since: dt.date | None = strawberry.field(description="Start day, if known.")
    until: dt.date | None = strawberry.field(description="End day; null while held.")
    uscc: str = strawberry.field(description="The firm's identifier.")

    @described("The firm (null when no longer in the graph).")
    async def company(self, info: Info[Any, Any]) -> Company | None:
        return await load_company(info, self.uscc)


@strawberry.type(description="A key person of a firm in one role.")
class Officer:
    role: str = strawberry.field(description="LEGAL_REPRESENTATIVE_OF, DIRECTOR_OF, "
                                             "SUPERVISOR_OF or ACTUAL_CONTROLLER_OF.")
    since: dt.date | None = strawberry.field(description="Start day, if known.")
    until: dt.date | None = strawberry.field(description="End day; null while held.")
    person: Person = strawberry.field(description="The person.")


def person_from_row(row: dict[str, Any]) -> Person:
    return Person(person_id=str(row["person_id"]), name=str(row.get("name") or ""),
                  nationality=text(row.get("nationality")),
                  political=None if row.get("political_connection") is None
                  else bool(row["political_connection"]))


def officer_from_row(row: dict[str, Any]) -> Officer:
    return Officer(role=str(row["role"]), since=day(row.get("since")),
                   until=day(row.get("until")), person=person_from_row(row))


def role_from_row(row: dict[str, Any]) -> Role:
    return Role(role=str(row["role"]), share=number(row.get("share")),
                since=day(row.get("since")), until=day(row.get("until")),
                uscc=str(row["uscc"]))


async def load_person(info: Info[Any, Any], person_id: str) -> Person | None:
    row = await loaders_of(info).person.load(person_id)
    return person_from_row(row) if row else None


@strawberry.type(description="A normalised registered address.")
class Address:
    address_id: str = strawberry.field(description="The address's id in the graph.")
    text: str = strawberry.field(description="The normalised address text.")
    region_code: str | None = strawberry.field(description="GB/T 2260 region code.")
    since: dt.date | None = strawberry.field(description="Registered here since (for a firm)")
    until: dt.date | None = strawberry.field(description="Registered here until; null while "
                                                         "current.")

    @described("Firms registered at this address.")
    async def companies(self, info: Info[Any, Any]) -> list[Company]:
        rows = await loaders_of(info).address_companies.load(self.address_id)
        return await load_companies(info, [str(r["uscc"]) for r in rows])


def address_from_row(row: dict[str, Any]) -> Address:
    return Address(address_id=str(row["address_id"]), text=str(row.get("text") or ""),
                   region_code=text(row.get("region_code")), since=day(row.get("since")),
                   until=day(row.get("until")))


@strawberry.interface(description="A published credit record about a firm or a person.")
class CreditRecord(Node):
    record_id: str = strawberry.field(description="The record's id.")
    category: str = strawberry.field(description="PCI category, e.g. tax_arrears",
                                     deprecation_reason=OLD.format("pciCategory"))
    kind: str | None = strawberry.field(description="Sub-type, e.g. procurement_ban",
                                        deprecation_reason=OLD.format("recordKind"))
    agency: str = strawberry.field(description="The publishing agency.")
    issued_on: dt.date = strawberry.field(description="The day the record was issued.")
    removed_on: dt.date | None = strawberry.field(description="The day a listing ended, if "
                                                              "it did.")
    polarity: str = strawberry.field(description="positive, negative or neutral")
    severity: str | None = strawberry.field(description="general, serious or "
                                                        "particularly_serious.")
    amount: float | None = strawberry.field(description="RMB")
    disclosure: str = strawberry.field(description="public, agency_shared or restricted",
                                       deprecation_reason=OLD.format("disclosureClass"))
    overturned: bool = strawberry.field(
        description="Set aside after an objection; no longer counts towards risk")

    def node_key(self) -> tuple[str, str]:
        return "CreditRecord", self.record_id

    @described("The record's PCI category.")
    def pci_category(self) -> PciCategory:
        return PciCategory(self.category)

    @described("The record's sub-type within its category; null when the source gave none "
               "(or one this release does not know).")
    def record_kind(self) -> RecordKind | None:
        return member(RecordKind, self.kind)

    @described("Who may see the record.")
    def disclosure_class(self) -> DisclosureClass:
        return DisclosureClass(self.disclosure)


@strawberry.type(description="An inspection record and its outcome.")
class Inspections(CreditRecord):
    stream: str | None = strawberry.field(
        description="How the firm came to be inspected: random (the double-random control "
                    "sample), targeted, routine (scheduled canvass), complaint or follow_up; "
                    "null when the agency did not say.",
        deprecation_reason=OLD.format("inspectionStream"))
    inspector_id: str | None = strawberry.field(description="The inspector, if recorded.")
    outcome: str | None = strawberry.field(
        description="no_violation, violation or serious_violation",
        deprecation_reason=OLD.format("inspectionOutcome"))

    @described("How the firm came to be inspected; null when the agency did not say.")
    def inspection_stream(self) -> InspectionStreamEnum | None:
        return member(InspectionStreamEnum, self.stream)

    @described("What the inspection found; null when not recorded.")
    def inspection_outcome(self) -> InspectionOutcomeEnum | None:
        return member(InspectionOutcomeEnum, self.outcome)


def _category_type(category: str) -> type[CreditRecord]:
    if category == "inspections":
        return Inspections
    cls = type(category_label(category), (CreditRecord,), {})
    described: type[CreditRecord] = strawberry.type(
        cls, description=f"A credit record of category {category}.")
    return described


RECORD_TYPES: dict[str, type[CreditRecord]] = {c: _category_type(c) for c in pci_categories()}
"""The GraphQL type of each category (named like its node label, e.g. TaxArrears)."""


def record_from_row(row: dict[str, Any]) -> CreditRecord:
    """The typed record of a row of the ``list_*_records`` statements."""
    common: dict[str, Any] = {
        "record_id": str(row["record_id"]), "category": str(row["category"]),
        "kind": text(row.get("kind")), "agency": str(row.get("agency") or ""),
        "issued_on": day(row["issued_on"]), "removed_on": day(row.get("removed_on")),
        "polarity": str(row.get("polarity") or ""), "severity": text(row.get("severity")),
        "amount": number(row.get("amount")), "disclosure": str(row["disclosure"]),
        "overturned": bool(row.get("overturned")),
    }
    cls = RECORD_TYPES.get(str(row["category"]))
    if cls is Inspections:
        return Inspections(**common, stream=text(row.get("stream")),
                           inspector_id=text(row.get("inspector_id")),
                           outcome=text(row.get("outcome")))
    if cls is None:
        raise ValueError(f"credit record {row['record_id']} has unknown category "
                         f"{row['category']!r}")
    return cls(**common)


def filter_records(rows: list[dict[str, Any]], category: str | None) -> list[CreditRecord]:
    """Typed records, optionally of one category."""
    return [record_from_row(r) for r in rows if category is None or r["category"] == category]


@strawberry.type(description="A public procurement tender.")
class Tender(Node):
    tender_id: str = strawberry.field(description="The tender's id (OCDS ocid or source id).")
    title: str | None = strawberry.field(description="The tender's title.")
    buyer: str = strawberry.field(description="The buying body.")
    region_code: str | None = strawberry.field(description="GB/T 2260 region code.")
    category: str | None = strawberry.field(description="What is bought (goods, works, "
                                                        "services).")
    estimated_value: float | None = strawberry.field(description="Estimated value, RMB.")
    published_on: dt.date | None = strawberry.field(description="Day of publication.")
    deadline: dt.date | None = strawberry.field(description="Bid deadline.")
    procedure: str | None = strawberry.field(description="open, selective, limited or "
                                                         "direct.")

    def node_key(self) -> tuple[str, str]:
        return "Tender", self.tender_id

    @described("Bids received, lowest amount first.")
    async def bids(self, info: Info[Any, Any]) -> list[Bid]:
        return [bid_from_row(r) for r in await loaders_of(info).tender_bids.load(self.tender_id)]


@strawberry.type(description="A firm in a bid: sole bidder, consortium lead or member.")
class Bidder:
    role: str = strawberry.field(description="sole, lead or member.")
    uscc: str = strawberry.field(description="The firm's identifier.")

    @described("The firm (null when no longer in the graph).")
    async def company(self, info: Info[Any, Any]) -> Company | None:
        return await load_company(info, self.uscc)


@strawberry.type(description="A bid for a tender.")
class Bid:
    bid_id: str = strawberry.field(description="The bid's id.")
    amount: float | None = strawberry.field(description="Bid amount, RMB.")
    submitted_at: str | None = strawberry.field(description="ISO date-time")
    status: str | None = strawberry.field(description="won, lost or disqualified.")
    bidders: list[Bidder] = strawberry.field(description="The bidding firms and their parts.")
    supplier_usccs: strawberry.Private[list[str]]

    @described("Suppliers named in the bid.")
    async def suppliers(self, info: Info[Any, Any]) -> list[Company]:
        return await load_companies(info, self.supplier_usccs)


@strawberry.type(description="A bid a firm submitted, with its part in it.")
class CompanyBid:
    bid_id: str = strawberry.field(description="The bid's id.")
    role: str = strawberry.field(description="The firm's part: sole, lead or member.")
    amount: float | None = strawberry.field(description="Bid amount, RMB.")
    submitted_at: str | None = strawberry.field(description="ISO date-time.")
    status: str | None = strawberry.field(description="won, lost or disqualified.")
    tender_id: str = strawberry.field(description="The tender's id.")

    @described("The tender (null when no longer in the graph).")
    async def tender(self, info: Info[Any, Any]) -> Tender | None:
        row = await loaders_of(info).tender.load(self.tender_id)
        return tender_from_row(row) if row else None


def tender_from_row(row: dict[str, Any]) -> Tender:
    return Tender(tender_id=str(row["tender_id"]), title=text(row.get("title")),
                  buyer=str(row.get("buyer") or ""), region_code=text(row.get("region_code")),
                  category=text(row.get("category")),
                  estimated_value=number(row.get("estimated_value")),
                  published_on=day(row.get("published_on")), deadline=day(row.get("deadline")),
                  procedure=text(row.get("procedure")))


def bid_from_row(row: dict[str, Any]) -> Bid:
    return Bid(bid_id=str(row["bid_id"]), amount=number(row.get("amount")),
               submitted_at=text(row.get("submitted_at")), status=text(row.get("status")),
               bidders=[Bidder(role=str(b.get("role") or ""), uscc=str(b["uscc"]))
                        for b in row.get("bidders") or []],
               supplier_usccs=[str(u) for u in row.get("suppliers") or []])


def company_bid_from_row(row: dict[str, Any]) -> CompanyBid:
    return CompanyBid(bid_id=str(row["bid_id"]), role=str(row.get("role") or ""),
                      amount=number(row.get("amount")),
                      submitted_at=text(row.get("submitted_at")), status=text(row.get("status")),
                      tender_id=str(row["tender_id"]))

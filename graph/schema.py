"""The registry graph's data model, declared once.

Every label, relationship type and property the project writes is named here. The world files
(``seed`` output, importer output, CSV templates) use the same names: one table per node label
(``nodes/<Label>.parquet``) and one per relationship type (``rels/<TYPE>.parquet``). This module
imports nothing from ``neo4j``; only members of its enums may ever be interpolated into Cypher.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from riskgraph.graph.identifiers import BUILTIN_SCHEMES, IdScheme
from riskgraph.resources import domain_table

ID_SCHEMES: dict[str, IdScheme] = BUILTIN_SCHEMES
"""The firm identifier schemes every world knows (declared in graph/identifiers.py); a world
declares its own namespaces in manifest.json under ``"id_schemes"``."""


class Label(StrEnum):
    """Node labels."""

    COMPANY = "Company"
    PERSON = "Person"
    ADDRESS = "Address"
    CONTACT_POINT = "ContactPoint"
    TENDER = "Tender"
    BID = "Bid"
    CREDIT_RECORD = "CreditRecord"
    INSPECTOR = "Inspector"
    LICENCE_HOLDER = "LicenceHolder"
    LEGAL_NAME = "LegalName"


class Rel(StrEnum):
    """Relationship types."""

    LEGAL_REPRESENTATIVE_OF = "LEGAL_REPRESENTATIVE_OF"
    DIRECTOR_OF = "DIRECTOR_OF"
    SUPERVISOR_OF = "SUPERVISOR_OF"
    ACTUAL_CONTROLLER_OF = "ACTUAL_CONTROLLER_OF"
    HOLDS_EQUITY = "HOLDS_EQUITY"
    SUBSIDIARY_OF = "SUBSIDIARY_OF"
    BRANCH_OF = "BRANCH_OF"
    SUPPLIES = "SUPPLIES"
    REGISTERED_AT = "REGISTERED_AT"
    RESIDES_AT = "RESIDES_AT"
    HAS_CONTACT = "HAS_CONTACT"
    SUBMITTED = "SUBMITTED"
    FOR_TENDER = "FOR_TENDER"
    LIST_SUPPLIER = "LIST_SUPPLIER"
    HAS_RECORD = "HAS_RECORD"
    INSPECTED_BY = "INSPECTED_BY"
    FAMILY_OF = "FAMILY_OF"
    ASSOCIATE_OF = "ASSOCIATE_OF"
    HELD_BY = "HELD_BY"
    HAS_LEGAL_NAME = "HAS_LEGAL_NAME"


class CompanyStatus(StrEnum):
    ACTIVE = "active"
    DISSOLVED = "dissolved"
    REVOKED = "revoked"
    SUSPENDED = "suspended"


class OwnershipType(StrEnum):
    PRIVATE = "private"
    STATE_OWNED = "state_owned"
    FOREIGN = "foreign"
    JOINT_VENTURE = "joint_venture"
    COLLECTIVE = "collective"


class Polarity(StrEnum):
    POSITIVE = "positive"
    NEGATIVE = "negative"
    NEUTRAL = "neutral"


class Severity(StrEnum):
    GENERAL = "general"
    SERIOUS = "serious"
    PARTICULARLY_SERIOUS = "particularly_serious"


class Disclosure(StrEnum):
    """Who may see a credit record (about 75% of real records are public)."""

    PUBLIC = "public"
    AGENCY_SHARED = "agency_shared"
    RESTRICTED = "restricted"


class InspectionStream(StrEnum):
    """Why an inspection happened (treated in training and evaluation: models/risk/streams.py)."""

    RANDOM = "random"
    TARGETED = "targeted"
    ROUTINE = "routine"
    COMPLAINT = "complaint"
    FOLLOW_UP = "follow_up"


class InspectionOutcome(StrEnum):
    NO_VIOLATION = "no_violation"
    VIOLATION = "violation"
    SERIOUS_VIOLATION = "serious_violation"


class BidStatus(StrEnum):
    WON = "won"
    LOST = "lost"
    DISQUALIFIED = "disqualified"


class BidRole(StrEnum):
    """A company's part in a bid: a consortium has one lead and one or more members."""

    SOLE = "sole"
    LEAD = "lead"
    MEMBER = "member"


class ContactKind(StrEnum):
    PHONE = "phone"
    EMAIL = "email"


class DatePrecision(StrEnum):
    """How much of a date the source gave (``*_precision`` properties; absent: all of it)."""

    DAY = "day"
    MONTH = "month"


PRECISION_SUFFIX = "_precision"
"""``<date prop>_precision`` declares that the date prop accepts coarser values."""


class Procedure(StrEnum):
    OPEN = "open"
    SELECTIVE = "selective"
    LIMITED = "limited"
    DIRECT = "direct"


@cache
def pci_categories() -> tuple[str, ...]:
    """The 19 Public Credit Information categories, read from the domain brief's table."""
    with domain_table("pci_categories.csv").open(encoding="utf-8") as fh:
        return tuple(row["category"] for row in csv.DictReader(fh))


def category_label(category: str) -> str:
    """The extra node label of a credit record of ``category`` (e.g. ``TaxArrears``)."""
    if category not in pci_categories():
        raise ValueError(f"unknown PCI category {category!r}")
    return "".join(part.capitalize() for part in category.split("_"))


# ---------------------------------------------------------------------------------------------
# Property declarations. Types: str, int, float, bool, date (ISO yyyy-mm-dd), datetime (ISO),
# strings (a list of text: Arrow list<string>, a Neo4j string list; in CSV a JSON array).
# ``required`` properties must be present and non-null; ``key`` is the natural key (unique).
# ---------------------------------------------------------------------------------------------

PROVENANCE = ("source", "source_id", "load_batch")
"""Stamped on every node and relationship: where it came from and which load wrote it."""


def _names(whose: str) -> tuple[Prop, ...]:
    """A firm's or person's further names, one list per FollowTheMoney property (kept apart so
    that an FtM export gives each back where it came from)."""
    return (
        Prop("other_names", "strings", doc=f"the {whose}'s further names (FollowTheMoney "
                                           "name values after the first)"),
        Prop("aliases", "strings", doc="FollowTheMoney alias"),
        Prop("previous_names", "strings", doc="FollowTheMoney previousName"),
        Prop("weak_aliases", "strings", doc="FollowTheMoney weakAlias"),
    )


@dataclass(frozen=True)
class Prop:
    name: str
    type: str
    required: bool = False
    choices: tuple[str, ...] = ()
    doc: str = ""


@dataclass(frozen=True)
class NodeType:
    label: Label
    key: str
    props: tuple[Prop, ...]
    doc: str = ""

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.props)


@dataclass(frozen=True)
class RelType:
    type: Rel
    src: tuple[Label, ...]
    dst: Label
    props: tuple[Prop, ...] = ()
    doc: str = ""

    @property
    def polymorphic_src(self) -> bool:
        """True when the source may be of several labels (column ``src_label`` says which)."""
        return len(self.src) > 1


def _choices(enum: type[StrEnum]) -> tuple[str, ...]:
    return tuple(m.value for m in enum)


_DATED = (Prop("since", "date"), Prop("until", "date"))

NODES: dict[Label, NodeType] = {
    Label.COMPANY: NodeType(
        Label.COMPANY,
        "uscc",
        (
            Prop("uscc", "str", True,
                 doc="firm identifier under a scheme (graph/identifiers.py): a bare "
                     "18-character USCC, lei:<LEI>, or <namespace>:<registry id>"),
            Prop("name", "str", True),
            Prop("region_code", "str",
                 doc="GB/T 2260 six-digit region code; required when the identifier scheme "
                     "has regions (uscc)"),
            Prop("id_scheme", "str",
                 doc="the key's scheme: uscc, lei or the namespace (filled from the key; "
                     "must agree with it when given)"),
            Prop("industry_code", "str",
                 doc="GB/T 4754 section letter + division, e.g. C13 (registries have it; "
                     "procurement and sanctions sources often do not)"),
            Prop("founded_on", "date"),
            Prop("dissolved_on", "date"),
            Prop("status", "str", True, _choices(CompanyStatus)),
            Prop("registered_capital", "float", doc="RMB"),
            Prop("employees", "int"),
            Prop("ownership_type", "str", choices=_choices(OwnershipType)),
            Prop("listed", "bool"),
            Prop("entity_type", "str", choices=("company", "organization", "legal_entity",
                                                 "public_body"),
                 doc="the kind of entity the source declares (FollowTheMoney schema); empty: "
                     "company"),
            Prop("jurisdiction", "str", doc="ISO 3166-1 alpha-2 (lower case), as the source "
                                            "gives it"),
            Prop("uscc_reported", "str",
                 doc="the USCC as a source that keys the firm otherwise gives it (masked "
                     "with *, perhaps mistyped); firm resolution compares its fragments"),
            *_names("firm"),
        ),
        "A registered market entity.",
    ),
    Label.PERSON: NodeType(
        Label.PERSON,
        "person_id",
        (
            Prop("person_id", "str", True, doc="pseudonymous id"),
            Prop("name", "str", True),
            Prop("nationality", "str", doc="ISO 3166-1 alpha-2"),
            Prop("country", "str", doc="country of residence or association, ISO 3166-1 "
                                       "alpha-2 (FollowTheMoney country)"),
            Prop("birth_date", "date", doc="as the source gives it (entity resolution)"),
            Prop("id_number_masked", "str",
                 doc="resident identity number as published, masked with * (e.g. "
                     "330102********1234); compared fragment by fragment in resolution"),
            Prop("political_connection", "bool",
                 doc="holds or held a people's congress / CPPCC seat or a government post "
                     "(synthetic worlds: see docs/world.md)"),
            *_names("person"),
        ),
        "A natural person holding roles in firms.",
    ),
    Label.ADDRESS: NodeType(
        Label.ADDRESS,
        "address_id",
        (
            Prop("address_id", "str", True, doc="hash of the normalised text"),
            Prop("text", "str", True, doc="normalised address text"),
            Prop("region_code", "str"),
        ),
    ),
    Label.CONTACT_POINT: NodeType(
        Label.CONTACT_POINT,
        "contact_id",
        (
            Prop("contact_id", "str", True),
            Prop("kind", "str", True, _choices(ContactKind)),
            Prop("value", "str", True, doc="normalised phone number or e-mail address"),
        ),
    ),
    Label.TENDER: NodeType(
        Label.TENDER,
        "tender_id",
        (
            Prop("tender_id", "str", True),
            Prop("title", "str"),
            Prop("buyer", "str", doc="buyer name (bid-only sources may lack it)"),
            Prop("region_code", "str", True),
            Prop("category", "str", doc="procurement category (goods / works / services); "
                                        "bid-only sources may lack it"),
            Prop("estimated_value", "float", doc="the buyer's estimate, in currency"),
            Prop("reserve_price", "float",
                 doc="highest acceptable bid (ceiling), in currency"),
            Prop("floor_price", "float",
                 doc="lowest acceptable bid (OCDS tender.minValue), in currency"),
            Prop("currency", "str", doc="ISO 4217 code of the tender's amounts; absent: not "
                                        "stated by the source (nothing assumes CNY)"),
            Prop("number_of_tenderers", "int",
                 doc="as published (OCDS tender.numberOfTenderers); may exceed the bids held"),
            Prop("published_on", "date", True),
            Prop("published_on_precision", "str", choices=_choices(DatePrecision),
                 doc="month: the source gave only YYYY-MM (stored as the 1st); absent: day"),
            Prop("deadline", "date", doc="bid-only sources may lack it"),
            Prop("deadline_precision", "str", choices=_choices(DatePrecision),
                 doc="as published_on_precision"),
            Prop("procedure", "str", choices=_choices(Procedure),
                 doc="bid-only sources may lack it"),
        ),
    ),
    Label.BID: NodeType(
        Label.BID,
        "bid_id",
        (
            Prop("bid_id", "str", True),
            Prop("tender_id", "str", True),
            Prop("amount", "float", doc="in currency; absent when the publisher gives no value"),
            Prop("currency", "str", doc="ISO 4217; absent: the tender's currency, if any"),
            Prop("submitted_at", "datetime", doc="bid-only sources may lack it"),
            Prop("submitted_at_precision", "str", choices=_choices(DatePrecision),
                 doc="day or month: the source gave only a date or YYYY-MM (stored as "
                     "midnight UTC of the 1st / that day); absent: second"),
            Prop("status", "str", True, _choices(BidStatus)),
        ),
    ),
    Label.CREDIT_RECORD: NodeType(
        Label.CREDIT_RECORD,
        "record_id",
        (
            Prop("record_id", "str", True),
            Prop("category", "str", True, doc="one of the 19 PCI categories"),
            Prop("kind", "str", doc="sub-type, e.g. serious_dishonest_list, procurement_ban"),
            Prop("agency", "str", True),
            Prop("issued_on", "date", True),
            Prop("removed_on", "date"),
            Prop("polarity", "str", True, _choices(Polarity)),
            Prop("severity", "str", choices=_choices(Severity)),
            Prop("amount", "float", doc="RMB, >= 0"),
            Prop("disclosure", "str", True, _choices(Disclosure)),
            Prop("stream", "str", choices=_choices(InspectionStream), doc="inspections only"),
            Prop("inspector_id", "str", doc="inspections only"),
            Prop("outcome", "str", choices=_choices(InspectionOutcome), doc="inspections only"),
        ),
        "One published credit record; also labelled with its category (see category_label).",
    ),
    Label.INSPECTOR: NodeType(
        Label.INSPECTOR,
        "inspector_id",
        (
            Prop("inspector_id", "str", True),
            Prop("name", "str", True),
            Prop("agency", "str", True),
            Prop("region_code", "str"),
            Prop("person_id", "str", doc="the inspector as a Person, for conflict checks"),
        ),
    ),
    Label.LICENCE_HOLDER: NodeType(
        Label.LICENCE_HOLDER,
        "holder_id",
        (
            Prop("holder_id", "str", True,
                 doc="the agency's own account / licence-holder number, e.g. "
                     "chicago-account:12345"),
            Prop("name", "str", doc="the holder's name as the agency records it"),
        ),
        "The account or person an agency issues licences to; firms (licences) held by the same "
        "holder are siblings.",
    ),
    Label.LEGAL_NAME: NodeType(
        Label.LEGAL_NAME,
        "name_key",
        (
            Prop("name_key", "str", True,
                 doc="normalised legal name (graph/normalize.legal_name_key: case, punctuation, "
                     "legal-form suffixes removed); the link key"),
            Prop("text", "str", doc="one spelling of the name as registered"),
        ),
        "A registered legal name; firms with the same normalised legal name share the node.",
    ),
}

_PERSON_ROLE = "Person holds this role in the company."

RELS: dict[Rel, RelType] = {
    Rel.LEGAL_REPRESENTATIVE_OF: RelType(
        Rel.LEGAL_REPRESENTATIVE_OF, (Label.PERSON,), Label.COMPANY, _DATED, _PERSON_ROLE
    ),
    Rel.DIRECTOR_OF: RelType(Rel.DIRECTOR_OF, (Label.PERSON,), Label.COMPANY, _DATED, _PERSON_ROLE),
    Rel.SUPERVISOR_OF: RelType(
        Rel.SUPERVISOR_OF, (Label.PERSON,), Label.COMPANY, _DATED, _PERSON_ROLE
    ),
    Rel.ACTUAL_CONTROLLER_OF: RelType(
        Rel.ACTUAL_CONTROLLER_OF, (Label.PERSON,), Label.COMPANY, _DATED, _PERSON_ROLE
    ),
    Rel.HOLDS_EQUITY: RelType(
        Rel.HOLDS_EQUITY,
        (Label.PERSON, Label.COMPANY),
        Label.COMPANY,
        (Prop("share", "float", doc="percent, in (0, 100]; absent: the source gives no share "
                                    "(e.g. a KEK holding without a percentage); the holding is "
                                    "kept, and an ownership path through it has an unknown "
                                    "effective share"), *_DATED),
        "Shareholder (person or company) holds a share of the company.",
    ),
    Rel.SUBSIDIARY_OF: RelType(
        Rel.SUBSIDIARY_OF, (Label.COMPANY,), Label.COMPANY, _DATED, "Child company → parent."
    ),
    Rel.BRANCH_OF: RelType(
        Rel.BRANCH_OF, (Label.COMPANY,), Label.COMPANY, _DATED, "Branch → head office."
    ),
    Rel.SUPPLIES: RelType(
        Rel.SUPPLIES,
        (Label.COMPANY,),
        Label.COMPANY,
        (Prop("annual_value", "float", True, doc="RMB per year, >= 0"), Prop("product", "str"),
         *_DATED),
        "Supplier → customer.",
    ),
    Rel.REGISTERED_AT: RelType(Rel.REGISTERED_AT, (Label.COMPANY,), Label.ADDRESS, _DATED),
    Rel.RESIDES_AT: RelType(Rel.RESIDES_AT, (Label.PERSON,), Label.ADDRESS, _DATED,
                            "A person's address (FollowTheMoney addressEntity)."),
    Rel.HAS_CONTACT: RelType(Rel.HAS_CONTACT, (Label.COMPANY,), Label.CONTACT_POINT, _DATED),
    Rel.SUBMITTED: RelType(
        Rel.SUBMITTED,
        (Label.COMPANY,),
        Label.BID,
        (Prop("role", "str", True, _choices(BidRole)),),
        "Company submitted (alone or in a consortium) the bid.",
    ),
    Rel.FOR_TENDER: RelType(Rel.FOR_TENDER, (Label.BID,), Label.TENDER),
    Rel.LIST_SUPPLIER: RelType(
        Rel.LIST_SUPPLIER, (Label.BID,), Label.COMPANY, (), "A supplier named in the bid."
    ),
    Rel.HAS_RECORD: RelType(
        Rel.HAS_RECORD, (Label.COMPANY, Label.PERSON), Label.CREDIT_RECORD, (),
        "The subject (firm or person) of a credit record.",
    ),
    Rel.INSPECTED_BY: RelType(
        Rel.INSPECTED_BY, (Label.CREDIT_RECORD,), Label.INSPECTOR, (),
        "Inspection record → the inspector who carried it out.",
    ),
    Rel.FAMILY_OF: RelType(
        Rel.FAMILY_OF, (Label.PERSON,), Label.PERSON,
        (Prop("relationship", "str", doc="e.g. spouse, sibling (FollowTheMoney Family)"),
         *_DATED),
        "A family tie between two people.",
    ),
    Rel.ASSOCIATE_OF: RelType(
        Rel.ASSOCIATE_OF, (Label.PERSON,), Label.PERSON,
        (Prop("relationship", "str", doc="nature of the association (FollowTheMoney Associate)"),
         *_DATED),
        "A known associate (business partner, close contact).",
    ),
    Rel.HELD_BY: RelType(
        Rel.HELD_BY, (Label.COMPANY,), Label.LICENCE_HOLDER, _DATED,
        "Firm (licence) → the account holding it (the licence term in since / until).",
    ),
    Rel.HAS_LEGAL_NAME: RelType(
        Rel.HAS_LEGAL_NAME, (Label.COMPANY,), Label.LEGAL_NAME, _DATED,
        "Firm → its registered legal name (when it differs from the trading name, or to link "
        "firms by name).",
    ),
}


def node_file(label: Label) -> str:
    """Relative path of a label's table inside a world directory."""
    return f"nodes/{label.value}.parquet"


def rel_file(rel: Rel) -> str:
    """Relative path of a relationship type's table inside a world directory."""
    return f"rels/{rel.value}.parquet"


REL_COLUMNS = ("src", "dst")
"""Every relationship table has ``src`` and ``dst`` (natural keys of the endpoints), plus
``src_label`` when the source is polymorphic, plus its declared props and PROVENANCE."""

GROUND_TRUTH_FILE = "ground_truth.json"
"""Planted schemes of a synthetic world; never loaded into the graph."""

MANIFEST_FILE = "manifest.json"


# ---------------------------------------------------------------------------------------------
# Credit-record kinds: the ``kind`` vocabulary of :CreditRecord, mapped to its PCI category, its
# polarity and the Zhejiang indicator (docs/domain/zhejiang_indicators.csv) it feeds, if any.
# ---------------------------------------------------------------------------------------------


class RecordSubject(StrEnum):
    """Whose file a record kind belongs to."""

    COMPANY = "company"
    PERSON = "person"


@dataclass(frozen=True)
class RecordKind:
    """One sub-type of credit record.

    ``polarity`` is the usual polarity; inspection records take theirs from the outcome
    (a violation is negative, a clean inspection neutral). ``indicator`` names the Zhejiang
    indicator the kind feeds (for person kinds: the firm-level key-personnel indicator), or None.
    ``listing`` is True for list inclusions that end with a removal date (``removed_on``).
    """

    kind: str
    category: str
    polarity: Polarity
    indicator: str | None
    subject: RecordSubject = RecordSubject.COMPANY
    listing: bool = False
    doc: str = ""


def _kind(kind: str, category: str, polarity: Polarity, indicator: str | None, doc: str,
          subject: RecordSubject = RecordSubject.COMPANY, listing: bool = False) -> RecordKind:
    return RecordKind(kind, category, polarity, indicator, subject, listing, doc)


_NEG, _POS, _NEU = Polarity.NEGATIVE, Polarity.POSITIVE, Polarity.NEUTRAL

RECORD_KINDS: dict[str, RecordKind] = {k.kind: k for k in (
    _kind("administrative_penalty", "administrative_penalties", _NEG, "administrative_penalty",
          "fine, confiscation, suspension or licence revocation by a regulator"),
    _kind("tax_unpaid", "tax_arrears", _NEG, "tax_unpaid", "tax arrears established by the STA"),
    _kind("abnormal_taxpayer", "tax_arrears", _NEG, "abnormal_taxpayer",
          "identified as an abnormal taxpayer (e.g. cannot be reached, invoices suspended)"),
    _kind("social_insurance_unpaid", "social_insurance_payment", _NEG, "social_insurance_unpaid",
          "social insurance contributions not paid"),
    _kind("utility_unpaid", "utility_arrears", _NEG, None, "utility arrears after judgment"),
    _kind("abnormal_operations", "blacklist", _NEG, "abnormal_operations",
          "SAMR list of abnormal operations (no annual report, unreachable at the registered "
          "address); removed when remedied", listing=True),
    _kind("serious_dishonest_enterprise_list", "blacklist", _NEG,
          "serious_dishonest_enterprise_list",
          "list of enterprises with serious dishonest acts (SAMR serious illegal and dishonest "
          "list, courts' dishonest judgment debtors)", listing=True),
    _kind("procurement_ban", "blacklist", _NEG, None,
          "Ministry of Finance: barred from government procurement for 1-3 years", listing=True),
    _kind("judgment_unsatisfied", "blacklist", _NEG, "judgment_unsatisfied",
          "court judgment not satisfied (the 19 PCI categories have no judicial category; "
          "filed under blacklist)", listing=True),
    _kind("redlist", "redlist", _POS, "redlist", "inclusion in a redlist (e.g. A-grade "
          "taxpayer, customs AEO, trustworthy enterprise)", listing=True),
    _kind("honors_and_awards", "awards_and_recognitions", _POS, "honors_and_awards",
          "honour or award from a county-level or higher government department"),
    _kind("donations", "awards_and_recognitions", _POS, "donations",
          "recorded charitable donation (no PCI category of its own)"),
    _kind("volunteer_service", "awards_and_recognitions", _POS, "volunteer_service",
          "recorded volunteer service (no PCI category of its own)"),
    _kind("permit_granted", "permits_licenses_approvals", _NEU, None,
          "administrative licence, permit or approval issued"),
    _kind("random_inspection", "inspections", _NEU, None,
          "inspection drawn by the double-random stream (firm and inspector random); "
          "negative when the outcome is a violation"),
    _kind("targeted_inspection", "inspections", _NEU, None,
          "inspection chosen by a risk rule (here: past penalties); negative when the outcome "
          "is a violation"),
    _kind("dishonest_person_list", "blacklist", _NEG, "serious_dishonest_key_personnel",
          "natural person on the list of persons with serious dishonest acts",
          RecordSubject.PERSON, listing=True),
    _kind("person_judgment_unsatisfied", "blacklist", _NEG, "key_personnel_unsatisfied_judgment",
          "natural person who has not satisfied a court judgment", RecordSubject.PERSON,
          listing=True),
)}
"""Every ``CreditRecord.kind`` the project writes; category is one of ``pci_categories()``."""

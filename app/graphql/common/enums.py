"""GraphQL enums built from the product's own vocabularies, so each list is declared once.

Members are named in capitals (the GraphQL convention GitHub's API follows); each member's
value is the stored string, so ``RiskTier("high")`` turns a row into a member and
``member.value`` is what the models and the Cypher take. Every value carries a description
(a test fails when one lacks it).

Sources: risk tiers and their cut-offs (models/risk/tiers.py), objection states and their
transitions (models/accountability/objections.py), record kinds (graph.schema.RECORD_KINDS),
PCI categories (the domain table behind graph.schema.pci_categories), disclosure classes,
inspection streams and outcomes (graph/schema.py), identifier schemes (graph/identifiers.py),
kinds of resolved record (graph.store.resolution.KINDS).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from enum import Enum
from typing import TYPE_CHECKING, Any, TypeVar

import strawberry

from riskgraph.graph.identifiers import BUILTIN_SCHEMES
from riskgraph.graph.schema import (
    RECORD_KINDS,
    Disclosure,
    InspectionOutcome,
    InspectionStream,
    pci_categories,
)
from riskgraph.graph.store.resolution import KINDS
from riskgraph.models.accountability.objections import TRANSITIONS
from riskgraph.models.accountability.planning import INSPECTION_STATUSES, PLAN_STREAMS
from riskgraph.models.risk.tiers import DEFAULT_CUTOFFS, TIERS
from riskgraph.resources import domain_table

E = TypeVar("E", bound=Enum)


def vocabulary_enum(name: str, values: Iterable[str], describe: Mapping[str, str],
                    description: str) -> Any:
    """A strawberry enum ``name`` with one member per value (named in capitals), each described
    by ``describe[value]``."""
    members = {v.upper().replace("-", "_"): strawberry.enum_value(v, description=describe[v])
               for v in values}
    generated: Any = Enum(name, members)  # type: ignore[misc]  # a generated vocabulary
    return strawberry.enum(generated, description=description)


def _tier_words() -> dict[str, str]:
    bounds = [DEFAULT_CUTOFFS.get(t) for t in TIERS] + [None]
    words = {}
    for tier, low, high in zip(TIERS, bounds, bounds[1:], strict=False):
        if low is None:
            words[tier] = f"Calibrated risk below {high:g} (default cut-off)."
        elif high is None:
            words[tier] = f"Calibrated risk {low:g} or more (default cut-off)."
        else:
            words[tier] = f"Calibrated risk from {low:g} to under {high:g} (default cut-offs)."
    return words


_RiskTier: Any = vocabulary_enum(
    "RiskTier", TIERS, _tier_words(),
    "A firm's risk tier, from its calibrated risk (P(an inspection finds a violation)) and "
    "fixed cut-offs, so a tier means the same in every run and region.")

_STATE_MEANING = {
    "filed": "Filed by (or for) the firm; not yet looked at.",
    "accepted": "Accepted for review.",
    "under_review": "Being reviewed by the agency.",
    "upheld": "Decided: the record or ranking stands.",
    "overturned": "Decided: the record or ranking is set aside (kept and marked, no longer "
                  "counted).",
    "rejected": "Not admitted for review.",
    "published": "The decision is published; final.",
}


def _state_words() -> dict[str, str]:
    words = {}
    for state, nexts in TRANSITIONS.items():
        after = f" Next: {' or '.join(nexts)}." if nexts else " No further state."
        words[state] = _STATE_MEANING.get(state, state.replace("_", " ").capitalize() + ".") \
            + after
    return words


_ObjectionState: Any = vocabulary_enum(
    "ObjectionState", TRANSITIONS, _state_words(),
    "Where an objection stands; each move is recorded with when, who and why.")

_RecordKind: Any = vocabulary_enum(
    "RecordKind", RECORD_KINDS,
    {k: f"{v.doc[:1].upper()}{v.doc[1:]} (category {v.category})." for k, v in
     RECORD_KINDS.items()},
    "The sub-type of a credit record, within its PCI category.")


def _category_words() -> dict[str, str]:
    with domain_table("pci_categories.csv").open(encoding="utf-8") as fh:
        rows = {r["category"]: r for r in csv.DictReader(fh)}
    return {c: f"{c.replace('_', ' ').capitalize()}: generated at "
               f"{rows[c]['generated_when']}, by {rows[c]['contributing_body']}."
            for c in pci_categories()}


_PciCategory: Any = vocabulary_enum(
    "PciCategory", pci_categories(), _category_words(),
    "One of the 19 Public Credit Information categories a credit record belongs to.")

_DISCLOSURE_WORDS = {
    Disclosure.PUBLIC.value: "Anyone may see it (about 75% of real records).",
    Disclosure.AGENCY_SHARED.value: "Shared among agencies: agency roles only.",
    Disclosure.RESTRICTED.value: "Only the publishing agency's restricted-role keys (and "
                                 "admin).",
}

_DisclosureClass: Any = vocabulary_enum(
    "DisclosureClass", [d.value for d in Disclosure], _DISCLOSURE_WORDS,
    "Who may see a credit record; the filter is applied in every read.")

_STREAM_WORDS = {
    InspectionStream.RANDOM.value: "Drawn by the double-random control sample.",
    InspectionStream.TARGETED.value: "Chosen by a risk rule or ranking.",
    InspectionStream.ROUTINE.value: "A scheduled canvass.",
    InspectionStream.COMPLAINT.value: "Prompted by a complaint.",
    InspectionStream.FOLLOW_UP.value: "A follow-up of an earlier inspection.",
}

_InspectionStreamEnum: Any = vocabulary_enum(
    "InspectionStream", [s.value for s in InspectionStream], _STREAM_WORDS,
    "How a firm came to be inspected (training and evaluation treat the streams apart).")

_OUTCOME_WORDS = {
    InspectionOutcome.NO_VIOLATION.value: "Nothing found.",
    InspectionOutcome.VIOLATION.value: "A violation was found.",
    InspectionOutcome.SERIOUS_VIOLATION.value: "A serious violation was found.",
}

_InspectionOutcomeEnum: Any = vocabulary_enum(
    "InspectionOutcome", [o.value for o in InspectionOutcome], _OUTCOME_WORDS,
    "What an inspection found.")

NAMESPACE = "namespace"
"""The scheme member standing for every world-declared registry namespace."""

_IdentifierScheme: Any = vocabulary_enum(
    "IdentifierScheme", [*BUILTIN_SCHEMES, NAMESPACE],
    {**{n: f"{s.doc[:1].upper()}{s.doc[1:]}." for n, s in BUILTIN_SCHEMES.items()},
     NAMESPACE: "A registry namespace the world declares (`<namespace>:<registry id>`); "
                "`idNamespace` names it."},
    "The scheme of a firm identifier.")

_RESOLUTION_KIND_WORDS = {
    "person": "Person records (keyed by `personId`).",
    "company": "Company records of several sources (keyed by their USCC or namespaced key).",
}

_ResolutionKind: Any = vocabulary_enum(
    "ResolutionKind", KINDS, _RESOLUTION_KIND_WORDS,
    "The kind of records entity resolution pairs: people or firms (each kind has its own "
    "review queue and judgements).")

_PlanStream: Any = vocabulary_enum(
    "PlanStream", PLAN_STREAMS, PLAN_STREAMS,
    "Why a firm is in an inspection plan: the double-random sample or its tier's quota.")

_InspectionStatus: Any = vocabulary_enum(
    "InspectionStatus", INSPECTION_STATUSES, INSPECTION_STATUSES,
    "Where a planned inspection stands.")


if TYPE_CHECKING:  # mypy sees plain enums; strawberry sees the generated ones
    class RiskTier(Enum):
        """Generated from its vocabulary (above)."""

    class ObjectionState(Enum):
        """Generated from its vocabulary (above)."""

    class RecordKind(Enum):
        """Generated from its vocabulary (above)."""

    class PciCategory(Enum):
        """Generated from its vocabulary (above)."""

    class DisclosureClass(Enum):
        """Generated from its vocabulary (above)."""

    class InspectionStreamEnum(Enum):
        """Generated from its vocabulary (above)."""

    class InspectionOutcomeEnum(Enum):
        """Generated from its vocabulary (above)."""

    class IdentifierScheme(Enum):
        """Generated from its vocabulary (above)."""

    class ResolutionKind(Enum):
        """Generated from its vocabulary (above)."""

    class PlanStream(Enum):
        """Generated from its vocabulary (above)."""

    class InspectionStatus(Enum):
        """Generated from its vocabulary (above)."""
else:
    RiskTier = _RiskTier
    ObjectionState = _ObjectionState
    RecordKind = _RecordKind
    PciCategory = _PciCategory
    DisclosureClass = _DisclosureClass
    InspectionStreamEnum = _InspectionStreamEnum
    InspectionOutcomeEnum = _InspectionOutcomeEnum
    IdentifierScheme = _IdentifierScheme
    ResolutionKind = _ResolutionKind
    PlanStream = _PlanStream
    InspectionStatus = _InspectionStatus


def member(enum: type[E], value: str | None) -> E | None:
    """The member whose value is ``value`` (None for None, or for a value the vocabulary does
    not know, e.g. an older graph's)."""
    if value is None:
        return None
    try:
        return enum(value)
    except ValueError:
        return None


def value_of(found: Enum | None) -> str | None:
    """The stored string of an enum member (None for None)."""
    return None if found is None else str(found.value)

"""Credit records: one interface, one type per Public Credit Information category.

Records only ever reach these types through statements that apply the caller's disclosure
filter (see app/security/principal.py).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import strawberry

from riskgraph.app.graphql.types.convert import day, number, text
from riskgraph.app.graphql.types.node import Node
from riskgraph.graph.schema import category_label, pci_categories


@strawberry.interface(description="A published credit record about a firm or a person.")
class CreditRecord(Node):
    record_id: str
    category: str = strawberry.field(description="PCI category, e.g. tax_arrears")
    kind: str | None = strawberry.field(description="Sub-type, e.g. procurement_ban")
    agency: str
    issued_on: dt.date
    removed_on: dt.date | None
    polarity: str = strawberry.field(description="positive, negative or neutral")
    severity: str | None
    amount: float | None = strawberry.field(description="RMB")
    disclosure: str = strawberry.field(description="public, agency_shared or restricted")
    overturned: bool = strawberry.field(
        description="Set aside after an objection; no longer counts towards risk")

    def node_key(self) -> tuple[str, str]:
        return "CreditRecord", self.record_id


@strawberry.type(description="An inspection record and its outcome.")
class Inspections(CreditRecord):
    stream: str | None = strawberry.field(
        description="How the firm came to be inspected: random (the double-random control "
                    "sample), targeted, routine (scheduled canvass), complaint or follow_up; "
                    "null when the agency did not say.")
    inspector_id: str | None
    outcome: str | None = strawberry.field(
        description="no_violation, violation or serious_violation")


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

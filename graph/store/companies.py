"""Companies by key: the one "get company" of the domain (explanations, exposure reports)."""

from __future__ import annotations

from typing import Any

from riskgraph.graph.store import Store


def get_company(store: Store, uscc: str) -> dict[str, Any] | None:
    """The firm's name, status, region, industry and dates; None when the graph has no such
    firm."""
    rows = store.read("explain/get_company", uscc=uscc)
    return rows[0] if rows else None


def get_companies(store: Store, usccs: list[str]) -> dict[str, dict[str, Any]]:
    """Firms by key (name, region, status, dates) in one read; keys not in the graph left out."""
    rows = store.read("api/get_companies", usccs=list(usccs)) if usccs else []
    return {str(r["uscc"]): r for r in rows}

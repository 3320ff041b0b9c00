"""Load batches as recorded by the loader (the provenance of every loaded world)."""

from __future__ import annotations

from typing import Any

from riskgraph.graph.snapshot import list_load_batches
from riskgraph.graph.store import Store


def load_batches(store: Store) -> list[dict[str, Any]]:
    """Completed load batches, newest first (``directory`` is where the world came from)."""
    return list_load_batches(store.driver, store.database)

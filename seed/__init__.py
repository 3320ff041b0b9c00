"""Synthetic registry worlds: ``generate_world(firms, seed, out)`` (see docs/world.md)."""

from riskgraph.seed.world import WorldSummary, generate_world

__all__ = ["WorldSummary", "generate_world"]

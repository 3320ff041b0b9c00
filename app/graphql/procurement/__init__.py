"""Tenders in GraphQL (their types live in registry/types.py)."""

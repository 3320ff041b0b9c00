"""Supplier-network exposure and the bid screen in GraphQL."""

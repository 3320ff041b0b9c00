"""The GraphQL schema (strawberry); one module per type."""

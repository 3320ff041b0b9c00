"""GraphQL object types, one small module per part of the graph."""

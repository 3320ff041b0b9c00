"""Service fields in GraphQL: health and node(id) refetching."""

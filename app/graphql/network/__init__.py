"""Network queries in GraphQL: ownership, related parties, connections, phoenix firms."""

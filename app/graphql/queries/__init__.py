"""Root query resolvers, grouped by subject."""

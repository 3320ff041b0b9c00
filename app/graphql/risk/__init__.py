"""Risk in GraphQL: explanations, assessments and ranking-run types."""

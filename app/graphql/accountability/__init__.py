"""Accountability in GraphQL: runs, targets, plans, objections, audits, model cards, and
the mutations."""

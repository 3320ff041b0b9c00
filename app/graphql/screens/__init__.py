"""Procurement screens in GraphQL: red flags and the cartel screen."""

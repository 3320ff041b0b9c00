"""Procurement screens: red flags, collusion and bid checks on the graph."""

"""The accountability workflow built on the risk engine: reproducible ranking runs, double-random
inspection planning and its sheets, conflicts of interest, objections, credit repair and the
fairness audit of a run.

Imports run one way: accountability uses models/risk, never the other way round.
"""

"""The Spark back end of the batch path (``riskgraph rank --engine spark``).

The feature, scoring, tier, reason and digest code is the in-process code itself, run inside
Spark tasks (single-sourced: nothing is re-implemented, so both engines give identical
results; tests/models/spark/test_spark_parity.py checks it). See docs/national-scale.md.
"""

"""Tests of the Spark engine (models/spark/)."""

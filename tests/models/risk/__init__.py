"""Tests of the risk engine (models/risk/)."""

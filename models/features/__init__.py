"""Point-in-time features, computed in bulk for every firm (see registry.py and context.py)."""

from riskgraph.models.features.compute import FeatureMatrix, compute_features
from riskgraph.models.features.registry import REGISTRY, Feature, feature_names, get

__all__ = ["REGISTRY", "Feature", "FeatureMatrix", "compute_features", "feature_names", "get"]

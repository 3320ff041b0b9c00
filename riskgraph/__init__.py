"""The ``riskgraph`` distribution namespace: the one name riskgraph installs.

The design's top-level folders (``app``, ``graph``, ``models``, ``seed``, ``cypher``) are
imported as ``riskgraph.app``, ``riskgraph.graph``, ...: in a checkout ``riskgraph/app`` etc. are
links to them; a wheel carries them under ``riskgraph/`` (docs/packaging.md). It also holds
``python -m riskgraph`` and the locator of the files riskgraph reads at run time
(:mod:`riskgraph.resources`).
"""

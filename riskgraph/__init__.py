"""The ``riskgraph`` distribution namespace.

Today it holds ``python -m riskgraph`` and the locator of the files riskgraph reads at run time
(:mod:`riskgraph.resources`). The design's top-level packages (``app``, ``graph``, ``models``,
``seed``, ``cypher``) move under it in one step later (issue 17); docs/packaging.md has the plan.
"""

"""Package discovery for the wheel; everything else is in pyproject.toml.

Everything installs under the one name ``riskgraph``: ``riskgraph/app``, ``riskgraph/graph``,
``riskgraph/models``, ``riskgraph/seed`` and ``riskgraph/cypher`` are links to the design's
top-level folders, which the discovery follows (docs/packaging.md).

Two folders that are not Python packages are installed as package data under the ``riskgraph``
namespace, so the wheel carries what riskgraph reads at run time (riskgraph/resources.py):
``docs/domain`` → ``riskgraph.domain`` and ``neo4j`` → ``riskgraph.neo4j``. pyproject.toml alone
cannot map a folder to a package while also discovering the others.
"""

from setuptools import find_namespace_packages, setup

DATA_PACKAGES = {"riskgraph.domain": "docs/domain", "riskgraph.neo4j": "neo4j"}

setup(
    packages=[*find_namespace_packages(include=["riskgraph*"]), *DATA_PACKAGES],
    package_dir=DATA_PACKAGES,
)

"""Package discovery for the wheel; everything else is in pyproject.toml.

Two folders that are not Python packages are installed as package data under the ``riskgraph``
namespace, so the wheel carries what riskgraph reads at run time (riskgraph/resources.py):
``docs/domain`` → ``riskgraph.domain`` and ``neo4j`` → ``riskgraph.neo4j``. pyproject.toml alone
cannot map a folder to a package while also discovering the others.
"""

from setuptools import find_namespace_packages, setup

DATA_PACKAGES = {"riskgraph.domain": "docs/domain", "riskgraph.neo4j": "neo4j"}

setup(
    packages=[*find_namespace_packages(include=["app*", "graph*", "models*", "seed*", "cypher*",
                                                "riskgraph*"]), *DATA_PACKAGES],
    package_dir=DATA_PACKAGES,
)

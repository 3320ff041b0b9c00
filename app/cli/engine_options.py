"""Options shared by the batch commands that can run on Spark (``rank``, ``features``)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from riskgraph.graph.config import get_settings
from riskgraph.graph.errors import BadInput

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

ENGINES = ("local", "spark")

EngineOption = Annotated[str, typer.Option(
    "--engine", help="local (one Python process) or spark (PySpark; docs/national-scale.md).")]
MasterOption = Annotated[str, typer.Option(
    "--spark-master", help="Spark master for --engine spark: local[*], local[N], "
                           "spark://host:7077, yarn, k8s://…")]
WorldOption = Annotated[Path | None, typer.Option(
    "--world", help="--engine spark: read the data from this world directory (the tables "
                    "the graph was loaded from) instead of Neo4j.")]


def check_engine(engine: str, world: Path | None) -> None:
    if engine not in ENGINES:
        raise BadInput(f"--engine: {engine!r} is not one of {', '.join(ENGINES)}")
    if world is not None and engine != "spark":
        raise BadInput("--world is read by --engine spark only")
    if world is not None and not world.is_dir():
        raise BadInput(f"--world {world}: not a directory")


@contextmanager
def spark(master: str) -> Iterator[SparkSession]:
    """A Spark session for one command (scratch under RISKGRAPH_HOME/spark); stopped after."""
    from riskgraph.app.cli.progress import phase
    from riskgraph.models.spark.session import spark_session

    with phase(f"starting Spark ({master})"):
        session = spark_session(master, local_dir=get_settings().riskgraph_home / "spark")
    try:
        yield session
    finally:
        session.stop()

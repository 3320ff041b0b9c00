"""``riskgraph features``: every firm's point-in-time features to a Parquet file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from riskgraph.app.cli.connection import AS_OF_HELP, parse_date
from riskgraph.app.cli.connection import as_of as resolve_as_of
from riskgraph.app.cli.connection import store as open_store
from riskgraph.app.cli.engine_options import EngineOption, MasterOption, check_engine
from riskgraph.app.cli.output import console
from riskgraph.graph.errors import BadInput


def features(
    out: Annotated[Path, typer.Option("--out", help="Parquet file to write (uscc, alive, one "
                                                    "column per feature).")],
    as_of: Annotated[str | None, typer.Option("--as-of", help=AS_OF_HELP + " With --world: "
                                              "the day after the world's data.")] = None,
    engine: EngineOption = "local",
    spark_master: MasterOption = "local[*]",
    world: Annotated[Path | None, typer.Option(
        "--world", help="Read the data from this world directory instead of Neo4j.")] = None,
) -> None:
    """Compute every registered feature (soft merits included) of every firm as of a date."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from riskgraph.app.cli.progress import phase
    from riskgraph.graph.snapshot import Snapshot, day_of
    from riskgraph.models.risk.features import FeatureMatrix, compute_features, feature_names
    from riskgraph.models.risk.training import as_of_default

    check_engine(engine, None)
    if world is not None and not world.is_dir():
        raise BadInput(f"--world {world}: not a directory")
    if out.suffix != ".parquet":
        raise BadInput(f"--out {out}: give a .parquet file")
    names = feature_names(include_soft=True)
    if world is not None:
        with phase(f"reading {world}"):
            snap = Snapshot.from_world(world)
        when = parse_date(as_of, "as-of") or as_of_default(snap)
    else:
        with open_store() as st:
            when = resolve_as_of(st.driver, as_of)
            with phase("reading the graph"):
                snap = st.snapshot()
    fm: FeatureMatrix
    if engine == "spark":
        from riskgraph.app.cli.engine_options import spark
        from riskgraph.models.spark.features import spark_features

        with spark(spark_master) as session, phase(f"{len(names)} features (Spark)"):
            fm = spark_features(session, snap, day_of(when), names, world=world)
    else:
        with phase(f"{len(names)} features"):
            fm = compute_features(snap, day_of(when), names)
    columns = {"uscc": pa.array(snap.uscc.astype(str)), "alive": pa.array(fm.alive)}
    columns.update({n: pa.array(fm.values[:, j]) for j, n in enumerate(fm.names)})
    out.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.table(columns), out)
    console.print(f"{snap.n_firms:,} firms × {len(names)} features as of {fm.as_of} → {out}")

"""``riskgraph seed`` (write a synthetic world) and ``riskgraph load`` (validate + load one)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from riskgraph.app.cli.output import console
from riskgraph.graph.config import get_settings
from riskgraph.graph.driver import connect, read
from riskgraph.graph.errors import BadInput

if TYPE_CHECKING:
    from riskgraph.graph.loader import LoadReport


def seed(
    firms: Annotated[int, typer.Option(help="How many firms (at least 200).")] = 20000,
    seed: Annotated[int, typer.Option(help="Random seed; the same (firms, seed) gives the "
                                           "same world.")] = 7,
    out: Annotated[Path, typer.Option(help="Output directory.")] = Path("world"),
    price_cartels: Annotated[bool, typer.Option(
        "--price-cartels", help="Also plant price-behaviour cartels (cover bids, phantom "
                                "bidders, rotation, a floor-price market; no people links).")
    ] = False,
    duplicates: Annotated[float, typer.Option(
        min=0.0, max=1.0,
        help="Record this share of the people a second time, as another source would (name "
             "variants, masked ids, moved addresses), with the truth in resolution_truth.csv "
             "(entity resolution).")] = 0.0,
    firm_duplicates: Annotated[float, typer.Option(
        min=0.0, max=1.0,
        help="List this share of the firms again under a second source's key (Company nodes "
             "ocds-party:src-b/<n> loaded with the world: name, USCC and address variants, some "
             "of the firm's records and bids moved to them), with the truth in "
             "firm_resolution_truth.csv (firm resolution).")] = 0.0,
) -> None:
    """Write a synthetic registry world (Parquet + manifest + separate ground truth)."""
    from riskgraph.seed.world import MIN_FIRMS, generate_world

    if firms < MIN_FIRMS:
        raise BadInput(f"--firms: a world needs at least {MIN_FIRMS} firms, got {firms}")
    summary = generate_world(firms, seed, out, price_cartels=price_cartels,
                             duplicates=duplicates, firm_duplicates=firm_duplicates)
    console.print(f"wrote {out} in {summary.seconds:.1f} s")
    _counts_table("rows written", summary.counts)


def load(
    directory: Annotated[Path, typer.Argument(help="A world directory (nodes/, rels/).")],
    rejects: Annotated[Path | None, typer.Option(help="Where to write rejected rows "
                                                      "(default DIR/rejects.csv).")] = None,
    bulk: Annotated[bool, typer.Option(
        "--bulk", help="First load through Neo4j's offline importer (local server only; about "
                       "6x faster; replaces the database).")] = False,
    force: Annotated[bool, typer.Option(
        "--force", help="With --bulk: replace a database that already holds data.")] = False,
    encoding: Annotated[str | None, typer.Option(
        help="The text encoding of the world's CSV files (utf-8, gb18030, gbk, latin-1, "
             "cp1252, utf-16, ...); default: detected per file. Parquet files ignore it.")
    ] = None,
) -> None:
    """Validate every row, load the good ones, write the bad ones to a rejects file."""
    from riskgraph.graph.importers.reading import check_encoding
    from riskgraph.graph.loader import load_world

    if encoding is not None:
        encoding = check_encoding(encoding)
    settings = get_settings()
    if force and not bulk:
        raise BadInput("--force only applies to --bulk (a transactional load never replaces "
                       "the database)")
    if bulk:
        from riskgraph.graph.bulk_load import bulk_load_world

        print_report(bulk_load_world(settings, directory, rejects_file=rejects, force=force,
                                     encoding=encoding))
        with connect(settings) as bulk_driver:
            graph_counts(bulk_driver)
        return
    driver = connect(settings)
    try:
        report = load_world(driver, directory, database=settings.neo4j_database,
                            rejects_file=rejects, encoding=encoding)
        print_report(report)
        graph_counts(driver)
    finally:
        driver.close()


def print_report(report: LoadReport) -> None:
    if report.migrations:
        console.print(f"applied pending schema migration(s) first: {', '.join(report.migrations)}")
    table = Table("table", "rows valid", "written")
    for name, sent in report.sent.items():
        table.add_row(name, f"{sent:,}", f"{report.merged.get(name, 0):,}")
    console.print(table)
    console.print(
        f"batch {report.batch_id}: {report.elements:,} nodes + relationships in "
        f"{report.seconds:.1f} s ({report.per_second:,.0f}/s); "
        f"{report.rejects:,} rejected row(s)"
        + (f" listed in {report.rejects_file}" if report.rejects else "")
    )
    console.print("stages: " + ", ".join(f"{k} {v:.1f} s" for k, v in report.stage_seconds.items()))
    for file, fields in report.missing.items():
        console.print(f"{file}: loaded without " + ", ".join(
            f"{name} ({count:,} row(s))" for name, count in fields.items()))


def graph_counts(driver: object) -> None:
    """Print node counts per label and relationship counts per type, as the graph holds them."""
    from riskgraph.graph.connection import Driver

    assert isinstance(driver, Driver)
    db = get_settings().neo4j_database
    labels = {r["label"]: r["count"] for r in read(driver, "count_nodes_by_label", db)}
    types = {r["type"]: r["count"] for r in read(driver, "count_relationships_by_type", db)}
    _counts_table("graph now holds", {**{f":{k}": v for k, v in labels.items()},
                                      **{f"[:{k}]": v for k, v in types.items()}})


def _counts_table(title: str, counts: dict[str, int]) -> None:
    table = Table("what", "count", title=title)
    for name, count in counts.items():
        table.add_row(name, f"{count:,}")
    console.print(table)

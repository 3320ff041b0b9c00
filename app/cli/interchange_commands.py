"""``riskgraph import ocds|ftm FILE`` and ``riskgraph export ocds|ftm WORLD``."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from riskgraph.app.cli.output import console
from riskgraph.graph.exporters.ftm import export_ftm
from riskgraph.graph.exporters.ocds import export_ocds
from riskgraph.graph.importers.ftm import import_ftm
from riskgraph.graph.importers.ocds import import_ocds
from riskgraph.graph.validation import validate_world
from riskgraph.graph.world_io import read_world


class Format(StrEnum):
    OCDS = "ocds"
    FTM = "ftm"


def import_file(
    fmt: Annotated[Format, typer.Argument(help="ocds (packages or .jsonl releases) or ftm "
                                               "(FollowTheMoney JSON lines).")],
    path: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="Input file.")],
    out: Annotated[Path, typer.Option(help="World directory to write.")] = Path("imported"),
    load: Annotated[bool, typer.Option("--load", help="Validate and load it right away.")] = False,
    encoding: Annotated[str | None, typer.Option(
        help="The file's text encoding (utf-8, gb18030, gbk, latin-1, cp1252, utf-16, ...); "
             "detected when not given.")] = None,
) -> None:
    """Map a file to a world directory (+ import_rejects.csv), optionally loading it.

    Exit code 0 when every input object was mapped, 1 when some were rejected (listed in
    import_rejects.csv), 2 when nothing could be mapped."""
    result = (import_ocds(path, encoding) if fmt == Format.OCDS
              else import_ftm(path, encoding))
    out.mkdir(parents=True, exist_ok=True)
    result.write(out)
    seen = ", ".join(f"{k} {v:,}" for k, v in sorted(result.counts.items()))
    console.print(f"read {path}: {seen or 'nothing'}")
    if result.unknown:
        console.print("not mapped (unknown schemata): "
                      + ", ".join(f"{k} {v:,}" for k, v in sorted(result.unknown.items())))
    console.print(f"wrote {out}: " + ", ".join(f"{k} {v:,}" for k, v in
                                                result.world.row_counts().items()))
    mapped = ", ".join(f"{k} {v:,}" for k, v in sorted(result.mapped.items()))
    console.print(f"mapped: {mapped or 'nothing'}")
    console.print(f"{len(result.rejects):,} input object(s) could not be mapped"
                  + (f" (listed in {out / 'import_rejects.csv'})" if result.rejects else ""))
    outcome = result.outcome()
    console.print({"complete": "import complete: every input object was mapped",
                   "partial": "import PARTIAL: some input objects were rejected",
                   "nothing": "NOTHING was imported"}[outcome])
    if load and outcome != "nothing":
        from riskgraph.app.cli.world_commands import load as load_command

        load_command(out, None)
    if outcome != "complete":
        raise typer.Exit(1 if outcome == "partial" else 2)


def export_world(
    fmt: Annotated[Format, typer.Argument(help="ocds or ftm.")],
    world: Annotated[Path, typer.Argument(help="A world directory.")],
    out: Annotated[Path, typer.Option(help="Output file (JSON lines).")] = Path("export.jsonl"),
) -> None:
    """Export a world's procurement as OCDS compiled releases, or its entities as FtM."""
    good = validate_world(read_world(world)).world
    count = export_ocds(good, out) if fmt == Format.OCDS else export_ftm(good, out)
    console.print(f"wrote {count:,} {'releases' if fmt == Format.OCDS else 'entities'} to {out}")

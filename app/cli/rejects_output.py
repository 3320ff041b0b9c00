"""Print the users' table rows a command left out, and where the full list went."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rich.markup import escape

from riskgraph.app.cli.output import console
from riskgraph.models.rejects import summary_lines, write_csv


def report_rejects(rows: Sequence[tuple[str, str]], home: Path, name: str) -> Path | None:
    """Write every left-out row to ``home/rejects/<name>.csv`` and print how many rows of each
    table were left out, the first reasons and that file; nothing when no row was."""
    if not rows:
        return None
    path = write_csv(rows, home / "rejects" / f"{name}.csv")
    for line in summary_lines(rows, path):
        console.print(f"[yellow]{escape(line)}[/]", highlight=False)
    return path

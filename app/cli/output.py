"""Shared console objects for CLI output (stdout for results, stderr for messages)."""

from rich.console import Console
from rich.measure import Measurement
from rich.table import Table

console = Console(highlight=False, soft_wrap=True)
console_err = Console(stderr=True, highlight=False, soft_wrap=True)

FIRM_ID_HELP = "The firm's identifier: a USCC, lei:<LEI> or <namespace>:<id>."
"""Help text of every firm-identifier argument (graph/identifiers.py)."""

def print_table(table: Table) -> None:
    """Print ``table`` at its natural width, even wider than the terminal (or than the 80
    columns Rich assumes when output is piped), so no cell is cut or folded."""
    natural = Measurement.get(console, console.options.update_width(10_000), table).maximum
    console.print(table, width=max(natural, console.width))

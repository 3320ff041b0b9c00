"""Shared console objects for CLI output (stdout for results, stderr for messages)."""

from rich.console import Console

console = Console(highlight=False, soft_wrap=True)
console_err = Console(stderr=True, highlight=False, soft_wrap=True)

FIRM_ID_HELP = "The firm's identifier: a USCC, lei:<LEI> or <namespace>:<id>."
"""Help text of every firm-identifier argument (graph/identifiers.py)."""

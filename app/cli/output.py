"""Shared console objects for CLI output (stdout for results, stderr for messages)."""

from rich.console import Console

console = Console(highlight=False, soft_wrap=True)
console_err = Console(stderr=True, highlight=False, soft_wrap=True)

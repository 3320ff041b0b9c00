"""Parsing ``name=number`` lists given on the command line (tier cut-offs, rates, periods)."""

from __future__ import annotations

from collections.abc import Callable

from riskgraph.graph.errors import BadInput


def parse_name_numbers(text: str, bad: Callable[[str], str]) -> dict[str, float]:
    """``"a=1, b=2.5"`` → ``{"a": 1.0, "b": 2.5}``; a part that is not ``name=number`` raises
    BadInput with the message ``bad(part)``."""
    out: dict[str, float] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, sep, value = part.partition("=")
        try:
            if not sep:
                raise ValueError
            out[name.strip()] = float(value)
        except ValueError:
            raise BadInput(bad(part)) from None
    return out

"""Errors told in the CLI's words: the domain names the input an error is about by its
parameter (``record_id``); a command names it by its flag (``--record``)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from riskgraph.graph.errors import RiskgraphError


def flag_of(field: str, flags: dict[str, str]) -> str:
    """The command's name for input ``field``: its entry in ``flags``, else ``--field-name``."""
    return flags.get(field, "--" + field.replace("_", "-"))


@contextmanager
def named_by_flags(**flags: str) -> Iterator[None]:
    """Domain errors raised inside end with the flag (or argument) of each input they are
    about, e.g. ``an objection needs its grounds (--grounds)``; ``flags`` maps a parameter to
    the command's name for it where the two differ (``record_id="--record"``)."""
    try:
        yield
    except RiskgraphError as exc:
        fields = [exc.field] if exc.field else [f for f, _ in exc.problems if f]
        names = list(dict.fromkeys(flag_of(f, flags) for f in fields))
        if names:
            exc.args = (f"{exc.message} ({' / '.join(names)})", *exc.args[1:])
        raise

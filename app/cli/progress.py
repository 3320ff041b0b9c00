"""Long phases of a command, with elapsed time: a spinner on a terminal, a line every
``EVERY`` seconds otherwise (``make demo`` piped to a log), and the total at the end."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from riskgraph.app.cli.output import console

EVERY = 15.0


@contextmanager
def phase(label: str) -> Iterator[None]:
    """Show ``label`` with the seconds spent until the block ends; then ``label: 12.3 s``."""
    began = time.monotonic()
    done = threading.Event()
    if console.is_terminal:
        status = console.status(f"{label} …")
        status.start()

        def tick() -> None:
            while not done.wait(1.0):
                status.update(f"{label} … {time.monotonic() - began:.0f} s")
    else:
        console.print(f"{label} …")

        def tick() -> None:
            while not done.wait(EVERY):
                console.print(f"  … {time.monotonic() - began:.0f} s")

    ticker = threading.Thread(target=tick, daemon=True)
    ticker.start()
    ok = False
    try:
        yield
        ok = True
    finally:
        done.set()
        ticker.join()
        if console.is_terminal:
            status.stop()
        console.print(f"{label}: {'done' if ok else 'failed'} in "
                      f"{time.monotonic() - began:.1f} s")

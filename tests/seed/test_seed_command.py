"""The ``seed`` command refuses a world too small to generate with a message, not a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from riskgraph.seed.world import MIN_FIRMS


def test_too_few_firms_is_bad_input_naming_the_option(tmp_path: Path) -> None:
    out = tmp_path / "world"
    done = subprocess.run(
        [sys.executable, "-m", "riskgraph", "seed", "--firms", str(MIN_FIRMS - 1), "--out",
         str(out)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stdout + done.stderr
    shown = done.stdout + done.stderr
    assert "--firms" in shown and str(MIN_FIRMS) in shown
    assert "Traceback" not in shown
    assert not out.exists()

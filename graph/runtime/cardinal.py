"""Build and run the Open Contracting Partnership's Cardinal (``ocdscardinal``) command-line tool.

The crate is not on every crates.io mirror, but PyPI carries its sdist (a maturin package with
the full Rust source). :func:`install` downloads that sdist with ``pip`` into
``.riskgraph/cache/cardinal``, unpacks it and runs ``cargo install --locked --path <src> --root
.riskgraph/cardinal`` (on the stable toolchain: the sdist's rust-toolchain.toml asks for nightly,
which it does not need). Nothing is rebuilt while the binary is there. :func:`run_indicators`
runs ``ocdscardinal indicators`` with every indicator enabled at its defaults.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from riskgraph.graph.config import default_state_root
from riskgraph.graph.errors import BadInput, Unavailable

VERSION = "0.0.8"
PACKAGE = "ocdscardinal"
STATE = default_state_root()
CACHE = STATE / "cache" / "cardinal"
ROOT = STATE / "cardinal"
INDICATORS = ("R003", "R018", "R024", "R025", "R028", "R030", "R035", "R036", "R038", "R048",
              "R058")
DEFAULT_SETTINGS = "".join(f"[{code}]\n" for code in INDICATORS)
"""An INI file whose empty sections enable every indicator with its default thresholds."""


def binary_path(root: Path = ROOT) -> Path:
    return root / "bin" / PACKAGE


def cardinal_binary(root: Path = ROOT) -> Path:
    """The built ``ocdscardinal`` executable, or Unavailable saying how to build it."""
    path = binary_path(root)
    if path.is_file() and os.access(path, os.X_OK):
        return path
    raise Unavailable(f"Cardinal is not built ({path} is missing); run `riskgraph cardinal "
                      "install` (needs pip, cargo and network access to PyPI and crates.io)")


def _tool(name: str) -> str:
    path = shutil.which(name) or (str(Path.home() / ".cargo" / "bin" / name)
                                  if (Path.home() / ".cargo" / "bin" / name).is_file() else None)
    if path is None:
        raise Unavailable(f"`{name}` was not found on PATH; it is needed to build Cardinal "
                          "(install Rust with rustup, https://rustup.rs)")
    return path


def _download(cache: Path) -> Path:
    sdist = cache / f"{PACKAGE}-{VERSION}.tar.gz"
    if not sdist.is_file():
        # --no-binary on the package alone: its build backend (maturin) may come as a wheel.
        cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", PACKAGE,
               "--dest", str(cache), f"{PACKAGE}=={VERSION}"]
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if done.returncode != 0 or not sdist.is_file():
            raise Unavailable(f"pip could not download the {PACKAGE} {VERSION} sdist: "
                              f"{done.stderr.strip()[-500:]}")
    return sdist


def _unpack(sdist: Path, cache: Path) -> Path:
    src = cache / f"{PACKAGE}-{VERSION}"
    if not (src / "Cargo.toml").is_file():
        with tarfile.open(sdist) as tar:
            tar.extractall(cache, filter="data")
    return src


def source_dir(cache: Path = CACHE) -> Path:
    """Cardinal's unpacked source (its fixtures are ``tests/fixtures/indicators``), downloaded
    without building; Unavailable when pip cannot fetch it."""
    cache.mkdir(parents=True, exist_ok=True)
    with (cache / ".lock-source").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _unpack(_download(cache), cache)


def install(root: Path = ROOT, cache: Path = CACHE, quiet: bool = True) -> Path:
    """Build Cardinal unless already built; return the binary's path.

    A file lock lets concurrent callers (test sessions, the CLI) wait for one build.
    """
    if binary_path(root).is_file():
        return binary_path(root)
    cache.mkdir(parents=True, exist_ok=True)
    with (cache / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if binary_path(root).is_file():
            return binary_path(root)
        cargo = _tool("cargo")
        src = _unpack(_download(cache), cache)
        env = {**os.environ, "RUSTUP_TOOLCHAIN": "stable"}
        cmd = [cargo, "install", "--locked", "--path", str(src), "--root", str(root)]
        done = subprocess.run(cmd, env=env, capture_output=quiet, text=True, check=False)
        if done.returncode != 0:
            tail = (done.stderr or "").strip()[-800:]
            raise Unavailable(f"cargo install of Cardinal failed (exit {done.returncode}): {tail}")
    return cardinal_binary(root)


def write_settings(path: Path, extra: str = "") -> Path:
    """Write a settings file enabling every indicator (defaults), plus ``extra`` INI text."""
    path.write_text(DEFAULT_SETTINGS + extra, encoding="utf-8")
    return path


def run_indicators(ocds: Path, settings: Path | None = None,
                   binary: Path | None = None) -> dict[str, Any]:
    """Run ``ocdscardinal indicators`` on a JSON-lines file of compiled releases.

    Returns Cardinal's JSON: ``{"OCID"|"Buyer"|"ProcuringEntity"|"Tenderer": {id: {code:
    value}}, "Meta": {...}}``. Without ``settings`` every indicator runs at its defaults.
    """
    if not ocds.is_file():
        raise BadInput(f"OCDS file not found: {ocds}")
    exe = binary or cardinal_binary()
    with tempfile.TemporaryDirectory(prefix="cardinal-") as tmp:
        ini = settings or write_settings(Path(tmp) / "settings.ini")
        done = subprocess.run([str(exe), "indicators", "--settings", str(ini), str(ocds)],
                              capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise Unavailable(f"Cardinal failed on {ocds} (exit {done.returncode}): "
                          f"{done.stderr.strip()[-500:]}")
    result: dict[str, Any] = json.loads(done.stdout)
    return result

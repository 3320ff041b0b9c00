"""Task inputs as files in a staging directory, not as parallelized data nor added files.

``sc.parallelize`` of a slice puts its pickled bytes in the driver JVM's heap, and each task
carries its partition's bytes in its serialized description (more copies in the heap): at
1 M firms the waves of network slices with their halos (a few hundred MB each) filled the
default 3 GB heap (``OutOfMemoryError`` in the scheduler's dispatcher, and the run stalled).
Here the driver pickles each task's input to a file in a staging directory and the task is
given the file's path: the JVM holds only that path.

Not ``SparkContext.addFile``, which this module used first: every task carries the list of
all files added so far, and an executor fetches each of them it lacks before it runs the
task, so on a cluster every executor would copy every slice; and ``addFile`` lists a file
before its driver-side copy is written, so a job submitted by another driver thread in that
window failed (``File … exists and does not match contents of …``: seen at 3 M firms, with
two threads shipping halos of a few hundred MB; ``tests/models/spark/test_shipping.py``).

The staging directory must be one every executor reads at the same path: on ``local[…]``
masters a directory under ``spark.local.dir`` (the default); on a cluster a shared mount,
named by the Spark setting :data:`STAGE_SETTING`."""

from __future__ import annotations

import os
import pickle
import shutil
import tempfile
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from riskgraph.graph.errors import ConfigError

if TYPE_CHECKING:
    from pyspark import SparkContext

STAGE_SETTING = "spark.riskgraph.stageDir"
"""The Spark setting naming the staging directory (required on non-local masters)."""


def stage_root(master: str, settings: Mapping[str, str]) -> Path:
    """The directory the task inputs go under, from the Spark ``settings``:
    :data:`STAGE_SETTING`, else (``local[…]`` masters only) ``spark.local.dir`` or the
    system's temporary directory."""
    stage = settings.get(STAGE_SETTING, "").strip()
    if stage:
        return Path(stage)
    if not master.startswith("local"):
        raise ConfigError(f"Spark master {master!r}: the tasks read their inputs from a "
                          f"staging directory every executor sees at the same path (a "
                          f"shared mount); name it in spark-defaults.conf: "
                          f"{STAGE_SETTING} /shared/dir")
    return Path(settings.get("spark.local.dir", "") or tempfile.gettempdir())


class Shipper:
    """Files for the tasks of one run, in a new directory under :func:`stage_root`;
    :meth:`close` removes it."""

    def __init__(self, sc: SparkContext) -> None:
        root = stage_root(str(sc.master), dict(sc.getConf().getAll()))
        try:
            root.mkdir(parents=True, exist_ok=True)
            self.dir = Path(tempfile.mkdtemp(prefix="riskgraph-tasks-", dir=root))
        except OSError as exc:
            raise ConfigError(f"staging directory {root}: {exc.strerror or exc}") from None

    def ship(self, value: Any) -> str:
        """Pickle ``value`` to a new file (written under a temporary name, then renamed, so
        a reader never sees it part-written); the path a task passes to :func:`fetch`."""
        path = self.dir / f"riskgraph-{uuid.uuid4().hex}.pkl"
        part = path.with_suffix(".part")
        with part.open("wb") as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(part, path)
        return str(path)

    def drop(self, shipped: str) -> None:
        """Remove a shipped file (once the tasks that read it are done)."""
        Path(shipped).unlink(missing_ok=True)

    def close(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)


def fetch(shipped: str) -> Any:
    """Inside a task: the value :meth:`Shipper.ship` wrote to ``shipped``."""
    with open(shipped, "rb") as fh:
        return pickle.load(fh)  # noqa: S301 (this run's own files, written by its driver)

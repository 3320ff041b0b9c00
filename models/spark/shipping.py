"""Task inputs as files (``SparkContext.addFile``), not as parallelized data.

``sc.parallelize`` of a slice puts its pickled bytes in the driver JVM's heap, and each task
carries its partition's bytes in its serialized description (more copies in the heap): at
1 M firms the waves of network slices with their halos (a few hundred MB each) filled the
default 3 GB heap (``OutOfMemoryError`` in the scheduler's dispatcher, and the run stalled).
Shipped as files, the JVM holds only their names: the executors fetch each file once (on a
cluster from the driver's file server, as ``addFile`` does) and the task unpickles it."""

from __future__ import annotations

import pickle
import shutil
import tempfile
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pyspark import SparkContext


class Shipper:
    """Files for the tasks of one run, under the Spark local directory; :meth:`close`
    removes the driver's copies."""

    def __init__(self, sc: SparkContext) -> None:
        self.sc = sc
        root = sc.getConf().get("spark.local.dir", None) or tempfile.gettempdir()
        Path(root).mkdir(parents=True, exist_ok=True)
        self.dir = Path(tempfile.mkdtemp(prefix="riskgraph-tasks-", dir=root))

    def ship(self, value: Any) -> str:
        """Pickle ``value`` to a new file every executor can fetch; its name."""
        name = f"riskgraph-{uuid.uuid4().hex}.pkl"
        path = self.dir / name
        with path.open("wb") as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        self.sc.addFile(str(path))
        return name

    def drop(self, name: str) -> None:
        """Remove the driver's copy (once the tasks that read it are done)."""
        (self.dir / name).unlink(missing_ok=True)

    def close(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)


def fetch(name: str) -> Any:
    """Inside a task: the value shipped as ``name``."""
    from pyspark import SparkFiles

    with open(SparkFiles.get(name), "rb") as fh:
        return pickle.load(fh)  # noqa: S301 (this run's own files, written by its driver)

"""A Spark session for riskgraph, with clear errors when PySpark or Java is missing."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from riskgraph.graph.errors import ConfigError

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

DEFAULT_MASTER = "local[*]"
INSTALL_HINT = "install it with `pip install 'riskgraph[spark]'` (PySpark 4.0, Java 17 or 21)"


def check_pyspark() -> str:
    """PySpark's version; ConfigError naming the fix when it is not installed."""
    try:
        import pyspark
    except ImportError:
        raise ConfigError(f"--engine spark needs PySpark, which is not installed: "
                          f"{INSTALL_HINT}") from None
    return str(pyspark.__version__)


def check_java() -> str:
    """The ``java -version`` line of the Java Spark will start; ConfigError when none is."""
    home = os.environ.get("JAVA_HOME")
    java = str(Path(home) / "bin" / "java") if home else shutil.which("java")
    if not java or not Path(java).exists():
        where = f"JAVA_HOME={home} has no bin/java" if home else "no `java` on PATH"
        raise ConfigError(f"--engine spark needs Java 17 or 21 ({where}); install a JRE "
                          f"(e.g. apt-get install openjdk-17-jre-headless) or set JAVA_HOME")
    try:
        out = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=30,
                             check=True)
    except (OSError, subprocess.SubprocessError) as exc:
        raise ConfigError(f"--engine spark: {java} -version failed ({exc})") from None
    return (out.stderr or out.stdout).splitlines()[0] if (out.stderr or out.stdout) else java


def spark_session(master: str = DEFAULT_MASTER, app_name: str = "riskgraph",
                  local_dir: Path | None = None,
                  conf: dict[str, str] | None = None) -> SparkSession:
    """A (new or running) SparkSession on ``master``: ``local[*]``, ``local[N]``,
    ``spark://host:7077``, ``yarn``, ``k8s://…``. Quiet logs, no UI, Arrow transfers."""
    check_pyspark()
    check_java()
    from pyspark.sql import SparkSession

    # Python workers run this interpreter (its packages) unless the deployment says otherwise.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = (SparkSession.builder.master(master).appName(app_name)
               .config("spark.ui.enabled", "false")
               .config("spark.sql.execution.arrow.pyspark.enabled", "true")
               .config("spark.python.worker.reuse", "true"))
    if local_dir is not None:
        local_dir.mkdir(parents=True, exist_ok=True)
        builder = builder.config("spark.local.dir", str(local_dir))
    for key, value in (conf or {}).items():
        builder = builder.config(key, value)
    try:
        spark = builder.getOrCreate()
    except Exception as exc:  # py4j / JVM start-up errors have no common base class
        raise ConfigError(f"Spark could not start on master {master!r}: "
                          f"{str(exc).splitlines()[0] if str(exc) else type(exc).__name__}"
                          ) from None
    spark.sparkContext.setLogLevel("ERROR")
    if "spark.sql.shuffle.partitions" not in (conf or {}):
        spark.conf.set("spark.sql.shuffle.partitions",
                       str(max(2, spark.sparkContext.defaultParallelism)))
    return spark

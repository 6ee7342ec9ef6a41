"""Starting Spark for the batch job: availability checks and a session configured for veille.

On ``local[...]`` masters everything stays on the loopback interface (no UI, no port opened to the
network) and Spark's scratch files go to a temporary folder; the Python workers run the very
interpreter of the driver so that they see the same installed veille and spaCy models. On a
cluster, the executors' Python comes from the cluster configuration (see README, "Spark").
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from veille.batch.classdata import class_data_options, java_version_text
from veille.batch.localfs import local_fs_conf
from veille.errors import VeilleError

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

    # pyspark warns about pandas versions on import paths veille does not use (no pandas UDFs).
    warnings.filterwarnings(
        "ignore", message="PySpark does not yet fully support pandas", category=FutureWarning
    )


class SparkUnavailable(VeilleError):
    """pyspark or Java is missing: an installation problem, not a user input problem."""

    exit_code = 3
    http_status = 500


def missing_requirement() -> str | None:
    """Why Spark cannot start here (pyspark or Java missing), or None when it can."""
    if importlib.util.find_spec("pyspark") is None:
        return "pyspark is not installed; install it with `pip install 'veille[spark]'`"
    java = shutil.which("java")
    if java is None:
        return "Java is not installed (Spark needs Java 17 or later on the PATH, or JAVA_HOME)"
    if java_version_text(java) is None:
        return f"{java} -version failed: Java is not usable"
    return None


def is_local(master: str) -> bool:
    return master == "local" or master.startswith("local[")


def local_cores(master: str) -> int:
    """The cores of a local master: ``local`` is one, ``local[*]`` every core of the machine."""
    inside = master[len("local[") : -1] if master.startswith("local[") else "1"
    if inside.split(",")[0].strip() == "*":
        return os.cpu_count() or 1
    try:
        return max(1, int(inside.split(",")[0]))
    except ValueError:
        return 1


def local_conf(*, scratch: str, cores: int = 2) -> dict[str, str]:
    """Settings that keep a local Spark on the loopback interface, quiet and inside ``scratch``."""
    return {
        "spark.driver.host": "127.0.0.1",
        "spark.driver.bindAddress": "127.0.0.1",
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.local.dir": scratch,
        "spark.sql.warehouse.dir": f"{scratch}/warehouse",
        # The workers must import the same veille and models as the driver.
        "spark.pyspark.python": sys.executable,
        "spark.pyspark.driver.python": sys.executable,
        # One shuffle partition per core: after the analysis the records are small, and every
        # further task is scheduling overhead (Spark's default of 200 is all overhead; on two cores
        # linking and writing 200 articles took 33 s with 4 partitions, 27 s with 2).
        "spark.sql.shuffle.partitions": str(cores),
        # Adaptive execution runs each query stage as its own Spark job (about 170 jobs for the
        # batch outputs instead of 60); on one machine that costs more than its re-planning saves.
        "spark.sql.adaptive.enabled": "false",
        # Without adaptive execution each broadcast join is one more Spark job (22 of the 61 jobs
        # of the post-analysis stage); on one machine a shuffle inside the same job is cheaper.
        "spark.sql.autoBroadcastJoinThreshold": "-1",
        # The tables after the analysis are thousands of rows: compiling whole-stage Java code for
        # each of the ~40 queries costs more than interpreting them (after the analysis of 40
        # articles: 50 s with it, 34 s without).
        "spark.sql.codegen.wholeStage": "false",
        # For the same reason, projections, orderings and predicates are interpreted rather than
        # compiled one by one with Janino (whole job on 200 articles: 36–38 s → 31–34 s).
        "spark.sql.codegen.factoryMode": "NO_CODEGEN",
    }


# For a short-lived local driver: the JVM's optimising compiler (C2) spends both cores compiling
# Spark's planner while the job runs; stopping at the quick compiler (C1) cut the stage after the
# analysis of 40 articles from 50 s to 32 s, and Spark's start by a few seconds. The heavy work of
# the job is in the Python workers, which this does not touch.
LOCAL_JAVA_OPTIONS = ("-XX:TieredStopAtLevel=1",)

DAEMON_MODULE = "veille.batch.daemon"


def jvm_running() -> bool:
    """Whether this process already launched Spark's JVM (pyspark keeps it for later sessions)."""
    from pyspark import SparkContext

    return SparkContext._gateway is not None


def uses_veille_daemon(conf: Mapping[str, str]) -> bool:
    """Whether Spark's Python workers will be forked from veille's daemon under ``conf``."""
    return (
        conf.get("spark.python.daemon.module", DAEMON_MODULE) == DAEMON_MODULE
        and conf.get("spark.python.use.daemon", "true").lower() == "true"
    )


def set_worker_python(master: str, conf: Mapping[str, str]) -> None:
    """Name the Python of the UDF workers where pyspark looks for it.

    A driver started from Python (not by spark-submit) gives its workers the interpreter named by
    the PYSPARK_PYTHON variable, by default the first ``python3`` on the PATH; it does not read the
    ``spark.pyspark.python`` setting. From a virtualenv that is the system Python, without veille.
    So: a ``spark.pyspark.python`` given by the user wins (Spark's own precedence), else a local
    master uses this very interpreter unless PYSPARK_PYTHON is already set.
    """
    python = conf.get("spark.pyspark.python")
    if python:
        os.environ["PYSPARK_PYTHON"] = python
    elif is_local(master):
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)


def _quiet_logging(scratch: str) -> str:
    path = Path(scratch) / "log4j2.properties"
    path.write_text(
        "rootLogger.level = error\nrootLogger.appenderRef.stderr.ref = console\n"
        "appender.console.type = Console\nappender.console.name = console\n"
        "appender.console.target = SYSTEM_ERR\nappender.console.layout.type = PatternLayout\n"
        "appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n%ex\n"
        # The same level for the shell logger, or Spark prints "Setting default log level".
        "logger.repl.name = org.apache.spark.repl.Main\nlogger.repl.level = error\n",
        encoding="utf-8",
    )
    return str(path)


def start_session(
    master: str, *, scratch: str, conf: Mapping[str, str] | None = None, app_name: str = "veille-batch"
) -> SparkSession:
    """A Spark session for the batch job; ``conf`` (e.g. from ``--conf``) wins over the defaults."""
    problem = missing_requirement()
    if problem:
        raise SparkUnavailable(problem)
    from pyspark.sql import SparkSession

    # pyspark warns about pandas versions on import paths veille does not use (no pandas UDFs).
    warnings.filterwarnings(
        "ignore", message="PySpark does not yet fully support pandas", category=FutureWarning
    )

    settings: dict[str, str] = {
        # Python workers are reused across tasks, and forked from a daemon that loaded the
        # models before forking them (veille.batch.daemon): one load per executor, not per core.
        "spark.python.worker.reuse": "true",
        "spark.python.daemon.module": DAEMON_MODULE,
        "spark.sql.session.timeZone": "UTC",
    }
    # Spark's start-up warnings are noise on a terminal: only errors, from the first line.
    java = [f"-Dlog4j2.configurationFile={_quiet_logging(scratch)}"]
    if is_local(master):
        settings |= local_conf(scratch=scratch, cores=local_cores(master))
        java += LOCAL_JAVA_OPTIONS
        # Read by the JVM that pyspark launches (not a veille setting): without it Spark binds its
        # block manager to the first network interface instead of the loopback one.
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    settings |= dict(conf or {})
    if is_local(master):
        # Files written without a chmod process each (see veille.batch.localfs), after the user's
        # settings: it extends their class path. On a cluster the output is on HDFS or object
        # storage, which this does not concern.
        settings |= local_fs_conf(conf or {})
        if "spark.driver.extraJavaOptions" not in settings:
            # Last: the archive depends on the driver's final class path (veille.batch.classdata).
            java += class_data_options(settings)
    # The user's own JVM options replace veille's (Spark's precedence for one setting).
    settings.setdefault("spark.driver.extraJavaOptions", " ".join(java))
    set_worker_python(master, conf or {})
    builder = SparkSession.builder.master(master).appName(app_name)
    for key, value in settings.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session

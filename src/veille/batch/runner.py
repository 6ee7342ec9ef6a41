"""Run the batch job end to end: start Spark (scratch folder, loopback when local), run, stop.

On a local master the Python workers' daemon starts warming up before Spark does (see
:mod:`veille.batch.zygote`).

This module imports pyspark only once the requirements are checked, so ``veille batch`` can say
"pyspark is not installed" instead of failing on an import.
"""

from __future__ import annotations

import importlib.util
import shutil
import tempfile
from collections.abc import Mapping
from typing import TYPE_CHECKING

from veille.batch import zygote
from veille.batch.session import (
    is_local,
    jvm_running,
    start_session,
    uses_veille_daemon,
)
from veille.pipeline import AnalyzeOptions
from veille.settings import Settings

if TYPE_CHECKING:
    from veille.batch.options import JobOptions, JobSummary


def _zygote_helps(master: str, conf: Mapping[str, str]) -> bool:
    """On one machine the workers' daemon can warm up while the driver and the JVM start.

    Not when this process's JVM is already running (a second job in the same process): the JVM
    would never learn of the zygote, and its daemon warms up by itself as usual.
    """
    # Only pyspark is checked here: start_session checks Java (a subprocess) once, and a missing
    # Java stops the job, and with it the zygote, before anything else.
    if not is_local(master) or not uses_veille_daemon(conf) or importlib.util.find_spec("pyspark") is None:
        return False
    return not jvm_running()


def run_batch(
    inputs: list[str],
    output: str,
    *,
    master: str = "local[*]",
    conf: Mapping[str, str] | None = None,
    settings: Settings | None = None,
    options: AnalyzeOptions | None = None,
    job: JobOptions | None = None,
) -> JobSummary:
    """Analyse ``inputs`` on Spark (``master``) and write the tables under ``output``."""
    settings = settings or Settings()
    scratch = tempfile.mkdtemp(prefix="veille-spark-")
    warm = None
    try:
        if _zygote_helps(master, conf or {}):
            warm = zygote.start(scratch)
        spark = start_session(master, scratch=scratch, conf=conf)
        try:
            from veille.batch.job import run_job

            return run_job(spark, inputs, output, settings=settings, options=options, job=job)
        finally:
            spark.stop()
    finally:
        if warm is not None:
            zygote.stop(warm)
        shutil.rmtree(scratch, ignore_errors=True)

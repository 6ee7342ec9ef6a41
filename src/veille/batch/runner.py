"""Run the batch job end to end: start Spark (scratch folder, loopback when local), run, stop.

This module imports pyspark only once the requirements are checked, so ``veille batch`` can say
"pyspark is not installed" instead of failing on an import.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Mapping
from typing import TYPE_CHECKING

from veille.batch.session import start_session
from veille.pipeline import AnalyzeOptions
from veille.settings import Settings

if TYPE_CHECKING:
    from veille.batch.options import JobOptions, JobSummary


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
    try:
        spark = start_session(master, scratch=scratch, conf=conf)
        try:
            from veille.batch.job import run_job

            return run_job(spark, inputs, output, settings=settings, options=options, job=job)
        finally:
            spark.stop()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

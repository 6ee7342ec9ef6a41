"""The Python daemon of veille's Spark executors: the models are loaded once, then workers forked.

Spark runs one Python daemon per executor (``python -m pyspark.daemon``) and forks a Python worker
from it for each task slot. Started plainly, every worker imports veille and loads the spaCy
pipelines, lexicons and gazetteer itself: on two cores that is two loads of about eight seconds
at the start of the analysis, fighting over the same memory bandwidth, and each worker's copy of
the models in its own pages. ``veille batch`` names this module as ``spark.python.daemon.module``:
it warms the whole analysis up once (a short French and a short English text through
``analyze_many``, which loads everything that is loaded lazily), then runs pyspark's own daemon.
The forked workers start with the models in place and share their pages with the daemon until
they write to them (``gc.freeze`` keeps the collector from touching the warmed-up objects).

What makes this safe to fork:

- nothing here starts a thread (BLAS is asked for one thread before numpy is imported: each
  worker is one core's worth of analysis already);
- the only open file the warm-up leaves is the gazetteer's read-only SQLite handle, which a
  forked process reopens for itself (``veille.annotate.gazetteer.Gazetteer``);
- the daemon's standard output is how the JVM learns the daemon's port, so nothing written while
  warming up goes there.

If the warm-up fails (a model missing on this executor), the daemon still starts: each worker
then loads what it needs and reports the failure on the task, as without this module.

The read stage has a daemon of its own. Spark keeps one daemon per distinct worker environment,
and the driver gives the read stage's functions one more variable (:func:`read_tasks`). Reading
needs no model, so that daemon serves at once: on a local master the input is read while the
analysis daemon is still warming up, instead of after it.

On a local master the driver may have started a zygote (:mod:`veille.batch.zygote`) that warmed
up while Spark started. This process then only hands the JVM over to it and relays bytes between
the two (:func:`hand_over`, :func:`relay`); if the zygote is gone or refuses, it warms up itself.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import json
import os
import selectors
import socket
import sys
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING

from veille.batch.zygote import ENV_VAR as ZYGOTE_ENV
from veille.batch.zygote import read_message

if TYPE_CHECKING:
    from pyspark import SparkContext

# Set in the daemon for the workers it forks: how they started (see PartitionStats.started_by).
ROLE_ENV = "VEILLE_SPARK_DAEMON"

# What a reading worker runs: no spaCy, no model (a fifth of a second to import).
READER_MODULES = ("pyspark.worker", "veille.batch.inputs")
# What an analysing worker unpickles to run its tasks, imported once here rather than after each
# fork. Not ``veille.batch.job``: it imports pyarrow, which starts a thread.
WORKER_MODULES = (*READER_MODULES, "veille.batch.analyse")

# Set (to READ) in the environment of the read stage's workers, and so of their own daemon.
TASKS_ENV = "VEILLE_SPARK_TASKS"
READ = "read"


@contextlib.contextmanager
def read_tasks(sc: SparkContext) -> Iterator[None]:
    """Python functions wrapped inside this block run in the read stage's daemon, not the analysis one.

    pyspark copies ``sc.environment`` into each function when it wraps it for the JVM (for a
    pipeline of RDD steps: when the pipeline is first turned into a JVM RDD, e.g. by
    ``partitionBy``), and the JVM keeps one daemon per distinct environment.
    """
    sc.environment[TASKS_ENV] = READ
    try:
        yield
    finally:
        del sc.environment[TASKS_ENV]


# Our own short texts: enough to go through every annotator of each language once.
WARM_UP_TEXTS = (
    "Le ministre allemand des Affaires étrangères a déclaré lundi 3 mars à Berlin que l'armée "
    "russe aurait bombardé un dépôt près de Kharkiv. « Nous condamnons cette attaque », a-t-il "
    "ajouté, selon l'agence Reuters.",
    "The French foreign minister said on Monday in Paris that Iranian forces had attacked a "
    'tanker in the Gulf. "We will not accept this," she told reporters, according to AFP.',
)


def one_native_thread() -> None:
    """Before anything imports numpy: one BLAS thread, and no thread alive when the daemon forks."""
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(name, "1")


def warm_up() -> float:
    """Load every model and lexicon the analysis uses; the seconds it took."""
    from veille.ingest.raw import RawDocument
    from veille.pipeline import analyze_many
    from veille.settings import Settings

    started = time.perf_counter()
    for module in WORKER_MODULES:
        importlib.import_module(module)
    settings = Settings.from_env()  # the models the job's settings name, as the CLI reads them
    documents = [RawDocument(source=f"veille-warm-up-{i}", text=t) for i, t in enumerate(WARM_UP_TEXTS)]
    # Spark reads the daemon's port from its standard output: keep the warm-up's words off it.
    with contextlib.redirect_stdout(sys.stderr):
        for _ in analyze_many(documents, settings=settings):
            pass
    return time.perf_counter() - started


def serve(role: str) -> None:
    """Run pyspark's daemon in this (warmed-up) process until Spark stops it."""
    os.environ[ROLE_ENV] = role
    # Objects made so far live as long as the daemon: out of the collector's sight, their pages
    # stay shared with the forked workers.
    gc.collect()
    gc.freeze()
    from pyspark.daemon import manager

    manager()


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def relay(sock: socket.socket, pending: bytes = b"") -> None:
    """Pass bytes between the JVM (standard input and output) and a zygote's daemon until it ends."""
    _write_all(1, pending)
    selector = selectors.DefaultSelector()
    selector.register(0, selectors.EVENT_READ, "jvm")
    selector.register(sock, selectors.EVENT_READ, "zygote")
    while True:
        for key, _ in selector.select():
            if key.data == "jvm":
                data = os.read(0, 65536)
                if data:
                    sock.sendall(data)  # workers Spark wants killed
                else:  # Spark closed our input: the daemon must shut down
                    selector.unregister(0)
                    sock.shutdown(socket.SHUT_WR)
            else:
                data = sock.recv(65536)
                if not data:
                    return
                _write_all(1, data)


def hand_over(path: str) -> bool:
    """Make the zygote listening at ``path`` this executor's daemon; False if it cannot be."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    with sock:
        try:
            sock.connect(path)
            request = {"env": dict(os.environ), "argv": sys.argv, "executable": sys.executable}
            sock.sendall(json.dumps(request).encode() + b"\n")
            answer, pending = read_message(sock)
        except OSError:  # no zygote there (any more), or it died
            return False
        if not answer.get("ok"):
            print(f"veille: not using the warmed-up zygote ({answer.get('why')})", file=sys.stderr)
            return False
        relay(sock, pending)
        return True


def main() -> None:
    if os.environ.get(TASKS_ENV) == READ:  # first: the zygote is for the analysis daemon
        for module in READER_MODULES:
            importlib.import_module(module)
        serve("reader")
        return
    zygote = os.environ.get(ZYGOTE_ENV)  # set when the driver started one for this job
    if zygote and hand_over(zygote):
        return
    one_native_thread()
    try:
        warm_up()
    except Exception as exc:  # the workers will load (and fail) for themselves, on the task
        print(f"veille: Spark daemon not warmed up ({type(exc).__name__}: {exc})", file=sys.stderr)
    serve("daemon")


if __name__ == "__main__":
    main()

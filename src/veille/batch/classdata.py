"""Class-data sharing for a local Spark driver: its classes mapped from an archive, not reloaded.

A local Spark driver reads, verifies and links about 15,000 classes from some 250 jars at every
start, and more while it plans the job's first queries: seconds of the fixed cost of every job
(measured on this 2-core machine: Spark's start and first query 8.5 s → 4.1 s; the whole job on
200 articles 36–38 s → 30–32 s). The JVM can write the classes a run loaded to an archive when it
exits (dynamic CDS, ``-XX:ArchiveClassesAtExit``) and map that archive at the next start
(``-XX:SharedArchiveFile``).

The archive lives in the user's cache, ``~/.cache/veille/spark-cds-<key>.jsa`` (about 190 MB),
where ``<key>`` digests what makes an archive usable: the Java runtime, pyspark's version and jars
folder, and the driver's class path. Java 19 and later create and refresh it themselves
(``-XX:+AutoCreateSharedArchive``). On Java 17 the first run writes it under a name of its own,
``….<driver pid>.part``, when its JVM exits (after the Python driver, which owns it); a later run
renames a part whose driver has ended and which no longer changes, so two jobs starting together
never read a half-written archive. A JVM that cannot use the archive (another JDK build, another
class path) starts without it: ``-Xshare:auto`` is the default. The JVM's messages about classes
it leaves out of the archive (signed jars, old class versions) are switched off.

A user who sets ``spark.driver.extraJavaOptions`` replaces veille's options, this one included.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import re
import shutil
import subprocess
import time
from collections.abc import Mapping
from pathlib import Path

ARCHIVE_PREFIX = "spark-cds-"
# A part is promoted once its driver has ended and it has not changed for this long: the JVM
# writes the archive in the seconds after the Python driver exits.
SETTLED_S = 30.0
_QUIET = "-Xlog:cds=off,cds+dynamic=off"


def cache_dir() -> Path:
    # The same home cache as the gazetteer (``veille.annotate.gazetteer.default_path``).
    return Path.home() / ".cache" / "veille"


@functools.lru_cache(maxsize=8)  # a JVM start per call; the installed Java does not change meanwhile
def java_version_text(java: str = "java") -> str | None:
    """What ``java -version`` prints, or None when it cannot run or fails."""
    try:
        done = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=30, check=True)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stderr + done.stdout


def java_runtime(java: str = "java") -> tuple[int, str] | None:
    """The major version and the full ``java -version`` text, or None when Java does not answer."""
    text = java_version_text(shutil.which(java) or java)
    if text is None:
        return None
    found = re.search(r'version "(\d+)(?:\.(\d+))?', text)
    if found is None:
        return None
    major = int(found.group(1))
    if major == 1 and found.group(2):  # "1.8.0_…" is Java 8
        major = int(found.group(2))
    return major, text


def archive_key(runtime_text: str, conf: Mapping[str, str]) -> str:
    """What an archive depends on: the Java runtime, pyspark's jars and the driver's class path."""
    import pyspark

    digest = hashlib.sha256(runtime_text.encode("utf-8"))
    jars = Path(pyspark.__file__).parent / "jars"
    digest.update(f"{pyspark.__version__}\n{jars.resolve()}\n".encode())
    for name in ("spark.driver.extraClassPath", "spark.jars", "spark.jars.packages"):
        digest.update(f"{name}={conf.get(name, '')}\n".encode())
    return digest.hexdigest()[:16]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def promote_parts(folder: Path, key: str, *, now: float | None = None) -> Path | None:
    """Rename a finished part of ``key`` to the archive; the archive's path when there is one."""
    archive = folder / f"{ARCHIVE_PREFIX}{key}.jsa"
    now = time.time() if now is None else now
    for part in sorted(folder.glob(f"{ARCHIVE_PREFIX}{key}.*.part")):
        pid = part.name.split(".")[-2]
        try:
            settled = now - part.stat().st_mtime >= SETTLED_S
        except FileNotFoundError:
            continue  # promoted or removed by another run just now
        if not pid.isdigit() or _alive(int(pid)) or not settled:
            continue
        if archive.exists():
            part.unlink(missing_ok=True)  # another run's archive won
        else:
            with contextlib.suppress(FileNotFoundError):
                os.replace(part, archive)
    return archive if archive.exists() else None


def class_data_options(
    conf: Mapping[str, str], *, folder: Path | None = None, runtime: tuple[int, str] | None = None
) -> list[str]:
    """JVM options that map (or create) the class archive for a driver with settings ``conf``.

    Empty when Java does not answer, is older than 13 (no dynamic archives), or the cache folder
    cannot be written.
    """
    runtime = runtime or java_runtime()
    if runtime is None or runtime[0] < 13:
        return []
    folder = folder or cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return []
    if not os.access(folder, os.W_OK):
        return []
    key = archive_key(runtime[1], conf)
    if runtime[0] >= 19:
        archive = folder / f"{ARCHIVE_PREFIX}{key}.jsa"
        return ["-XX:+AutoCreateSharedArchive", f"-XX:SharedArchiveFile={archive}", _QUIET]
    archive_path = promote_parts(folder, key)
    if archive_path is not None:
        return [f"-XX:SharedArchiveFile={archive_path}", _QUIET]
    part = folder / f"{ARCHIVE_PREFIX}{key}.{os.getpid()}.part"
    return [f"-XX:ArchiveClassesAtExit={part}", _QUIET]

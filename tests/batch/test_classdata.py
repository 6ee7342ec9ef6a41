"""Class-data sharing for the local Spark driver: which JVM options, and the archive's life cycle
(written under a part name, promoted once its driver has ended, then mapped)."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pyspark", reason="the archive key reads pyspark's version")

from veille.batch.classdata import (
    ARCHIVE_PREFIX,
    SETTLED_S,
    archive_key,
    class_data_options,
    java_runtime,
    promote_parts,
)

JAVA17 = (17, 'openjdk version "17.0.15" 2025-04-15')


def _ended_pid() -> int:
    """The pid of a process that has exited (and been waited for)."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _part(folder: Path, key: str, pid: int, *, age: float) -> Path:
    part = folder / f"{ARCHIVE_PREFIX}{key}.{pid}.part"
    part.write_bytes(b"archive")
    then = time.time() - age
    os.utime(part, (then, then))
    return part


def test_java_17_writes_a_part_named_after_this_driver_then_maps_the_archive(tmp_path: Path) -> None:
    first = class_data_options({}, folder=tmp_path, runtime=JAVA17)
    key = archive_key(JAVA17[1], {})
    assert first[0] == f"-XX:ArchiveClassesAtExit={tmp_path}/{ARCHIVE_PREFIX}{key}.{os.getpid()}.part"
    assert "-Xlog:cds=off,cds+dynamic=off" in first
    (tmp_path / f"{ARCHIVE_PREFIX}{key}.jsa").write_bytes(b"archive")
    assert class_data_options({}, folder=tmp_path, runtime=JAVA17)[0] == (
        f"-XX:SharedArchiveFile={tmp_path}/{ARCHIVE_PREFIX}{key}.jsa"
    )


def test_newer_java_keeps_its_own_archive_and_old_java_gets_nothing(tmp_path: Path) -> None:
    options = class_data_options({}, folder=tmp_path, runtime=(21, 'openjdk version "21.0.2"'))
    assert options[0] == "-XX:+AutoCreateSharedArchive" and options[1].startswith("-XX:SharedArchiveFile=")
    assert class_data_options({}, folder=tmp_path, runtime=(11, 'openjdk version "11.0.2"')) == []


def test_an_unwritable_cache_gives_no_option(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert class_data_options({}, folder=blocker / "cache", runtime=JAVA17) == []


def test_the_key_follows_the_runtime_and_the_class_path() -> None:
    base = archive_key(JAVA17[1], {})
    assert archive_key(JAVA17[1], {}) == base
    assert archive_key('openjdk version "17.0.16"', {}) != base
    assert archive_key(JAVA17[1], {"spark.driver.extraClassPath": "/opt/x.jar"}) != base
    # Settings that do not touch the class path share the archive.
    assert archive_key(JAVA17[1], {"spark.sql.shuffle.partitions": "2"}) == base


def test_only_a_settled_part_of_an_ended_driver_is_promoted(tmp_path: Path) -> None:
    ended = _ended_pid()
    fresh = _part(tmp_path, "k", ended, age=1.0)  # its JVM may still be writing
    assert promote_parts(tmp_path, "k") is None and fresh.exists()
    running = _part(tmp_path, "k", os.getpid(), age=SETTLED_S + 10)  # this driver is alive
    assert promote_parts(tmp_path, "k") is None and running.exists()
    os.utime(fresh, (time.time() - SETTLED_S - 1,) * 2)
    archive = promote_parts(tmp_path, "k")
    assert archive == tmp_path / f"{ARCHIVE_PREFIX}k.jsa" and archive.read_bytes() == b"archive"
    assert not fresh.exists() and running.exists()
    # A second finished part once the archive exists is dropped, not swapped in.
    late = _part(tmp_path, "k", ended, age=SETTLED_S + 1)
    assert promote_parts(tmp_path, "k") == archive and not late.exists()
    # Other keys' files are left alone.
    other = _part(tmp_path, "other", ended, age=SETTLED_S + 1)
    promote_parts(tmp_path, "k")
    assert other.exists()


def _fake_java(folder: Path, text: str) -> str:
    # A new file each time: answers are cached per executable path.
    script = folder / f"java{len(list(folder.iterdir()))}"
    script.write_text(f"#!/bin/sh\necho '{text}' >&2\n", encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return str(script)


def test_java_versions_are_read_from_java_version(tmp_path: Path) -> None:
    assert java_runtime(_fake_java(tmp_path, 'openjdk version "17.0.15" 2025-04-15'))[0] == 17  # type: ignore[index]
    assert java_runtime(_fake_java(tmp_path, 'java version "1.8.0_392"'))[0] == 8  # type: ignore[index]
    assert java_runtime(_fake_java(tmp_path, "no version here")) is None
    assert java_runtime(str(tmp_path / "missing")) is None


def test_the_jvm_writes_the_part_and_maps_the_promoted_archive(tmp_path: Path) -> None:
    """The whole cycle with this machine's Java (no Spark): dump at exit, promote, map."""
    java = shutil.which("java")
    runtime = java_runtime(java) if java else None
    if java is None or runtime is None or not 13 <= runtime[0] < 19:
        pytest.skip("needs Java 13 to 18 (dynamic archives written at exit)")
    options = class_data_options({}, folder=tmp_path, runtime=runtime)
    subprocess.run([java, *options, "-version"], capture_output=True, check=True, timeout=120)
    (part,) = tmp_path.glob("*.part")
    # The part names this (live) driver: not promoted until it has ended.
    assert promote_parts(tmp_path, archive_key(runtime[1], {})) is None
    ended = part.with_name(part.name.replace(f".{os.getpid()}.", f".{_ended_pid()}."))
    part.rename(ended)
    os.utime(ended, (time.time() - SETTLED_S - 1,) * 2)
    mapped = class_data_options({}, folder=tmp_path, runtime=runtime)
    assert mapped[0].startswith("-XX:SharedArchiveFile=")
    # -Xshare:on fails instead of starting without the archive: it must be usable.
    done = subprocess.run(
        [java, *mapped, "-Xshare:on", "-version"], capture_output=True, text=True, check=True, timeout=120
    )
    assert "sharing" in done.stderr


def test_local_sessions_start_their_jvm_with_the_archive(spark: Any) -> None:
    runtime = java_runtime()
    if runtime is None or runtime[0] < 13:
        pytest.skip("needs Java 13 or later")
    bean = spark.sparkContext._jvm.java.lang.management.ManagementFactory.getRuntimeMXBean()
    arguments = list(bean.getInputArguments())
    assert any(a.startswith(("-XX:SharedArchiveFile=", "-XX:ArchiveClassesAtExit=")) for a in arguments)

"""veille's local file system for Spark: built from the source in the tree, used by local sessions,
and writing files with the modes Hadoop's own gives them."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import pytest

from veille.batch.localfs import FS_CLASS, JAR, built_from, local_fs_conf, main, source_digest


def test_the_jar_is_built_from_the_source_in_the_tree() -> None:
    # Editing NioLocalFileSystem.java without `python -m veille.batch.localfs --build` fails here.
    assert JAR.exists() and built_from() == source_digest()


def test_settings_extend_the_users_class_path() -> None:
    assert local_fs_conf({}) == {
        "spark.driver.extraClassPath": str(JAR),
        "spark.hadoop.fs.file.impl": FS_CLASS,
    }
    mine = local_fs_conf({"spark.driver.extraClassPath": "/opt/x.jar"})
    assert mine["spark.driver.extraClassPath"] == f"/opt/x.jar{os.pathsep}{JAR}"
    # A file system chosen by the user is kept, and then the jar is not needed.
    assert local_fs_conf({"spark.hadoop.fs.file.impl": "org.apache.hadoop.fs.LocalFileSystem"}) == {}


def test_state_is_printed(capsys: pytest.CaptureFixture[str]) -> None:
    main([])
    assert "up to date" in capsys.readouterr().out


def test_spark_writes_through_it_with_hadoops_modes(spark: Any, tmp_path: Path) -> None:
    hadoop_conf = spark.sparkContext._jsc.hadoopConfiguration()
    assert hadoop_conf.get("fs.file.impl") == FS_CLASS
    frame = spark.createDataFrame([(1, "2024-01-02"), (2, "2024-01-03")], "id int, pub_date string")
    out = tmp_path / "table"
    frame.write.partitionBy("pub_date").parquet(str(out))
    umask = os.umask(0)
    os.umask(umask)
    files = [p for p in out.rglob("*") if p.is_file()]
    folders = [p for p in out.rglob("*") if p.is_dir()]
    assert any(p.suffix == ".parquet" for p in files) and len(folders) == 2
    # Hadoop's defaults under the process umask: 0666 for files, 0777 for folders.
    assert {stat.S_IMODE(p.stat().st_mode) for p in files} == {0o666 & ~umask}
    assert {stat.S_IMODE(p.stat().st_mode) for p in folders} == {0o777 & ~umask}
    assert sorted(r.id for r in spark.read.parquet(str(out)).collect()) == [1, 2]

"""A local file system for Spark that sets file modes without starting a process per file.

Hadoop's local file system, without its native library (pyspark ships none), runs ``chmod`` in a
new process for every file and folder it creates. A batch output partitioned by publication day is
thousands of small files (2,229 Parquet files for 2,000 articles of ``../shared/corpus/``): about
14,000 processes, a third of the job's time after the analysis. ``jvm/NioLocalFileSystem.java``
is Hadoop's own ``LocalFileSystem`` with the mode set through ``java.nio`` instead (same modes, same
files); its compiled jar ships beside it and local sessions put it on the driver's class path.

Rebuild the jar after editing the source (needs a JDK 17+ and pyspark's Hadoop jars):

    python -m veille.batch.localfs --build

The jar's manifest records the SHA-256 of the source it was built from; a test checks that it is
the source in the tree.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Mapping
from pathlib import Path

HERE = Path(__file__).parent / "jvm"
SOURCE = HERE / "NioLocalFileSystem.java"
JAR = HERE / "veille-localfs.jar"
FS_CLASS = "veille.hadoop.NioLocalFileSystem"
SOURCE_KEY = "Veille-Source-SHA256"
_CLASSPATH = "spark.driver.extraClassPath"


def source_digest() -> str:
    return hashlib.sha256(SOURCE.read_bytes()).hexdigest()


def built_from() -> str | None:
    """The source digest recorded in the jar's manifest (None without a jar or a record)."""
    if not JAR.exists():
        return None
    with zipfile.ZipFile(JAR) as jar:
        manifest = jar.read("META-INF/MANIFEST.MF").decode("utf-8")
    # Manifest lines are folded at 72 bytes: a line starting with a space continues the previous one.
    unfolded = manifest.replace("\r\n", "\n").replace("\n ", "")
    for line in unfolded.splitlines():
        key, _, value = line.partition(": ")
        if key == SOURCE_KEY:
            return value.strip()
    return None


def local_fs_conf(user: Mapping[str, str]) -> dict[str, str]:
    """Settings for a local master: the jar on the driver's class path (after the user's own) and
    ``file:`` paths through it. Nothing when the jar is missing or the user chose a ``file:``
    implementation (``--conf spark.hadoop.fs.file.impl=org.apache.hadoop.fs.LocalFileSystem``)."""
    if not JAR.exists() or "spark.hadoop.fs.file.impl" in user:
        return {}
    own = user.get(_CLASSPATH)
    return {
        _CLASSPATH: f"{own}{os.pathsep}{JAR}" if own else str(JAR),
        "spark.hadoop.fs.file.impl": FS_CLASS,
    }


def build(*, javac: str = "javac", jar_tool: str = "jar") -> Path:
    """Compile ``SOURCE`` against pyspark's Hadoop API jar and write ``JAR`` (with the digest)."""
    import pyspark

    jars = Path(pyspark.__file__).parent / "jars"
    hadoop = sorted(jars.glob("hadoop-client-api-*.jar"))
    if not hadoop:
        raise SystemExit(f"no hadoop-client-api jar under {jars}")
    with tempfile.TemporaryDirectory() as scratch:
        classes = Path(scratch) / "classes"
        subprocess.run(
            [javac, "--release", "17", "-cp", str(hadoop[-1]), "-d", str(classes), str(SOURCE)],
            check=True,
        )
        manifest = Path(scratch) / "manifest.txt"
        manifest.write_text(f"{SOURCE_KEY}: {source_digest()}\n", encoding="utf-8")
        built = Path(scratch) / JAR.name
        subprocess.run([jar_tool, "cfm", str(built), str(manifest), "-C", str(classes), "."], check=True)
        shutil.copyfile(built, JAR)
    return JAR


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--build", action="store_true", help="compile the source and write the jar")
    args = parser.parse_args(argv)
    if args.build:
        print(build())
    else:
        state = "up to date" if built_from() == source_digest() else "OUT OF DATE (run with --build)"
        print(f"{JAR}: {state}")


if __name__ == "__main__":
    main()

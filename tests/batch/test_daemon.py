"""veille's Spark daemon and the zygote: warm-up, hand-over protocol, and a whole local job.

The protocol tests play the zygote with a plain socket server and run the JVM's side of the daemon
(``python -m veille.batch.daemon``) as a child process; the last test runs ``veille batch`` in a
fresh process, where the workers must come from the zygote.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from veille.batch import zygote
from veille.batch.daemon import hand_over
from veille.batch.session import missing_requirement
from veille.demo import sample_corpus


class FakeZygote:
    """A Unix socket server answering one daemon's request, then recording what it is sent."""

    def __init__(self, path: Path, answer: dict[str, Any], then: bytes = b"") -> None:
        self.path = str(path)
        self.request: dict[str, Any] = {}
        self.received = b""
        self._answer, self._then = answer, then
        self._server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._server.bind(self.path)
        self._server.listen(1)
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        conn, _ = self._server.accept()
        with conn:
            line = b""
            while not line.endswith(b"\n"):
                chunk = conn.recv(4096)
                if not chunk:
                    return  # the daemon hung up before asking
                line += chunk
            self.request = json.loads(line)
            conn.sendall(json.dumps(self._answer).encode() + b"\n" + self._then)
            while chunk := conn.recv(4096):  # until the daemon's side shuts its half
                self.received += chunk

    def join(self) -> None:
        self._thread.join(timeout=10)
        self._server.close()


@pytest.fixture
def short_dir() -> Iterator[Path]:
    # Unix socket paths are limited to about 100 bytes: pytest's tmp_path can be longer.
    import tempfile

    with tempfile.TemporaryDirectory(prefix="vz-") as folder:
        yield Path(folder)


def test_refusal_names_what_differs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHONHASHSEED", "0")
    env = {"PYTHONHASHSEED": "0", "PATH": "/elsewhere"}
    assert zygote._refusal({"executable": sys.executable, "env": env}) is None
    assert "PYTHONHASHSEED" in str(zygote._refusal({"executable": sys.executable, "env": {}}))
    assert "/usr/bin/python2" in str(zygote._refusal({"executable": "/usr/bin/python2", "env": env}))


def test_no_zygote_or_a_refusal_means_no_hand_over(short_dir: Path) -> None:
    assert hand_over(str(short_dir / "nobody.sock")) is False
    refusing = FakeZygote(short_dir / "z.sock", {"ok": False, "why": "PYTHONHASHSEED differs"})
    assert hand_over(refusing.path) is False
    refusing.join()
    assert refusing.request["executable"] == sys.executable and "env" in refusing.request


def test_the_daemon_relays_between_spark_and_the_zygote(short_dir: Path) -> None:
    # After "ok" the zygote's daemon writes its port (4 bytes); the JVM writes pids to kill.
    fake = FakeZygote(short_dir / "z.sock", {"ok": True}, then=b"\x00\x00\x1f\x90")
    env = dict(os.environ, VEILLE_SPARK_ZYGOTE=fake.path, PYTHONHASHSEED="0")
    shim = subprocess.Popen(
        [sys.executable, "-m", "veille.batch.daemon", "pyspark.worker"],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    assert shim.stdin is not None and shim.stdout is not None
    assert shim.stdout.read(4) == b"\x00\x00\x1f\x90"  # the port reaches Spark as if ours
    shim.stdin.write(b"\x00\x00\x30\x39")
    shim.stdin.close()  # Spark stops the daemon: its input ends, the zygote is told
    fake.join()
    assert shim.wait(timeout=10) == 0
    assert fake.received == b"\x00\x00\x30\x39"
    assert fake.request["argv"][1:] == ["pyspark.worker"]  # the worker module pyspark asked for
    assert fake.request["env"]["PYTHONHASHSEED"] == "0"


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")
def test_warm_up_leaves_one_thread_and_nothing_on_stdout() -> None:
    code = (
        "import os, sys\n"
        "from veille.batch.daemon import one_native_thread, warm_up\n"
        "one_native_thread()\n"
        "warm_up()\n"
        "print(len(os.listdir('/proc/self/task')), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""  # Spark reads the daemon's port there
    assert done.stderr.strip().splitlines()[-1] == "1"  # safe to fork


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")
def test_a_local_job_forks_its_workers_from_the_zygote(tmp_path: Path) -> None:
    problem = missing_requirement()
    if problem:
        pytest.skip(f"needs pyspark and Java 17+: {problem}")
    corpus = tmp_path / "two.jsonl"
    corpus.write_bytes(b"\n".join(sample_corpus().read_bytes().splitlines()[:2]) + b"\n")
    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, "-m", "veille", "batch", str(corpus), str(out), "--master", "local[2]"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    summary = json.loads((out / "_job.json").read_text(encoding="utf-8"))
    assert summary["counts"]["articles"] == 2
    assert {s["started_by"] for s in summary["partition_stats"]} == {"zygote"}
    assert not _zygotes()  # none outlives its job


def _zygotes() -> list[str]:
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if b"veille.batch.zygote" in cmdline.read_bytes():
                found.append(cmdline.parent.name)
        except OSError:  # gone meanwhile
            pass
    return found


def test_no_zygote_where_its_socket_path_would_be_too_long(tmp_path: Path) -> None:
    deep = tmp_path / ("d" * 120)
    assert zygote.start(str(deep)) is None and zygote.ENV_VAR not in os.environ

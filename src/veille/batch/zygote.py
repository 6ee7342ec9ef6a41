"""A warmed-up Python daemon for a local Spark, started by the driver before the JVM.

With a local master, the JVM starts veille's Python daemon (:mod:`veille.batch.daemon`) on the
first Python task, and the daemon's warm-up (about seven seconds on one core) is then the whole
job's wait. Yet the driver knows from the start that it will be needed. So ``veille batch`` starts
this zygote first: a process that warms up while the driver imports and the JVM starts, listens
on a Unix socket in the job's scratch folder, and, when the JVM's daemon connects, becomes that
daemon. The JVM's daemon process stays a relay (:func:`veille.batch.daemon.relay`) between the JVM
and the zygote, which runs pyspark's daemon with the JVM's environment, its standard input and
output being the socket.

The hand-over is refused, and the JVM's daemon warms up by itself as without a zygote, when the
two processes do not run the same interpreter or hash seed (a worker forked from the zygote must
be the worker Spark asked for). A zygote serves one daemon: a second one (Spark restarting a dead
daemon) finds no socket and warms up alone. The zygote ends with its daemon, or when the driver
that started it is gone; the driver stops it if Spark never asked for it.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

# Names the zygote's socket for the JVM's daemon (inherited through the JVM's environment).
ENV_VAR = "VEILLE_SPARK_ZYGOTE"

# Wait for the JVM's daemon at most this long once warm (a job that fails before any Python task).
_ACCEPT_TIMEOUT_S = 600.0
# sockaddr_un holds 108 bytes on Linux (104 on macOS), the final NUL included.
_MAX_SOCKET_PATH = 100
# What the JVM's environment must share with the zygote's: what was read when the zygote started
# or imported pyspark (string hashes, pyspark's import-time switches) cannot change in its forks.
_MUST_MATCH = ("PYTHONHASHSEED", "PYSPARK_ENABLE_NAMEDTUPLE_PATCH", "SPARK_TESTING")


def start(scratch: str) -> subprocess.Popen[bytes] | None:
    """Start a zygote listening in ``scratch``; the JVM launched after this call will find it.

    None when the socket's path would be too long for a Unix socket (a deep temporary folder):
    the JVM's daemon then warms up by itself.
    """
    path = str(Path(scratch) / "veille-daemon.sock")
    if len(path.encode()) > _MAX_SOCKET_PATH:
        return None
    env = dict(os.environ)
    # What pyspark gives the JVM's Python daemon (pyspark.core.context), so that both agree.
    env.setdefault("PYTHONHASHSEED", "0")
    process = subprocess.Popen(
        [sys.executable, "-m", "veille.batch.zygote", path],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
    )
    os.environ[ENV_VAR] = path
    return process


def stop(process: subprocess.Popen[bytes]) -> None:
    """After the job: end a zygote Spark never took (one that became the daemon has ended)."""
    os.environ.pop(ENV_VAR, None)
    if process.poll() is None:
        process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _refusal(request: dict[str, object]) -> str | None:
    env = request.get("env")
    if request.get("executable") != sys.executable or not isinstance(env, dict):
        return f"the daemon runs {request.get('executable')}, the zygote {sys.executable}"
    for name in _MUST_MATCH:
        if env.get(name) != os.environ.get(name):
            return f"{name} differs"
    return None


def read_message(sock: socket.socket) -> tuple[dict[str, object], bytes]:
    """One JSON line of the hand-over (request or answer), and the bytes received after it."""
    data = b""
    while b"\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("the other side hung up during the hand-over")
        data += chunk
    line, rest = data.split(b"\n", 1)
    message = json.loads(line)
    if not isinstance(message, dict):
        raise ValueError("not a hand-over message")
    return message, rest


def _become_daemon(conn: socket.socket, request: dict[str, object]) -> None:
    env = request["env"]
    argv = request.get("argv")
    assert isinstance(env, dict)
    os.environ.clear()
    os.environ.update({str(k): str(v) for k, v in env.items()})
    if isinstance(argv, list):
        sys.argv = [sys.argv[0], *map(str, argv[1:])]  # pyspark.daemon reads the worker module here
    for entry in reversed(os.environ.get("PYTHONPATH", "").split(os.pathsep)):
        if entry and entry not in sys.path:
            sys.path.insert(0, entry)
    # pyspark's daemon talks to the JVM on its standard input and output: here, the relay socket.
    os.dup2(conn.fileno(), 0)
    os.dup2(conn.fileno(), 1)
    conn.close()
    from veille.batch.daemon import serve

    serve("zygote")


def main(path: str) -> None:
    parent = os.getppid()
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(1)  # listening before the warm-up: a daemon that comes early waits for it
    from veille.batch.daemon import one_native_thread, warm_up

    one_native_thread()

    try:
        warm_up()
    except Exception as exc:  # as the daemon does: workers load (and fail) on their task
        print(f"veille: Spark zygote not warmed up ({type(exc).__name__}: {exc})", file=sys.stderr)
    listener.settimeout(1.0)
    waited = 0.0
    while True:
        try:
            conn, _ = listener.accept()
            break
        except TimeoutError:
            waited += 1.0
            if os.getppid() != parent or waited > _ACCEPT_TIMEOUT_S:
                return  # the driver is gone, or never ran a Python task
    listener.close()
    os.unlink(path)
    conn.settimeout(None)
    request, _ = read_message(conn)  # the daemon sends nothing more before the answer
    refusal = _refusal(request)
    if refusal:
        conn.sendall(json.dumps({"ok": False, "why": refusal}).encode() + b"\n")
        return
    conn.sendall(json.dumps({"ok": True}).encode() + b"\n")
    _become_daemon(conn, request)


if __name__ == "__main__":
    main(sys.argv[1])

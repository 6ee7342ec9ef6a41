"""``veille serve --workers N``: one socket per process on one port, connections shared out by the
kernel, every process stopped on SIGTERM."""

from __future__ import annotations

import signal
import socket
import time
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from veille.api.loadcheck import _free_port, start_server
from veille.cli import app
from veille.cli.serve_workers import check_port_free, has_reuse_port, listening_socket
from veille.evaluate.proctree import tree_cpu_by_process

pytestmark = pytest.mark.skipif(not has_reuse_port(), reason="needs SO_REUSEPORT")


def test_a_taken_port_is_refused() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        with pytest.raises(OSError):
            check_port_free("127.0.0.1", taken.getsockname()[1])


def test_sockets_of_one_port_share_the_connections() -> None:
    port = _free_port()
    first, second = listening_socket("127.0.0.1", port), listening_socket("127.0.0.1", port)
    clients = [socket.create_connection(("127.0.0.1", port)) for _ in range(40)]
    try:
        accepted = []
        for server in (first, second):
            server.setblocking(False)
            count = 0
            while True:
                try:
                    conn, _ = server.accept()
                except BlockingIOError:
                    break
                conn.close()
                count += 1
            accepted.append(count)
        # The kernel hashes each client's address and port: all 40 on one socket has odds of 2^-39.
        assert sum(accepted) == 40 and min(accepted) > 0
    finally:
        for sock in (*clients, first, second):
            sock.close()


def test_workers_serve_and_stop_together(sample: tuple[str, dict[str, int]]) -> None:
    port = _free_port()
    server = start_server(sample[0], port=port, workers=2)
    try:
        family = tree_cpu_by_process(server.pid) or {}
        # veille serve, its two workers and multiprocessing's resource tracker (spawn).
        assert len(family) >= 3
        with pytest.raises(OSError):  # the port is taken for other programs
            check_port_free("127.0.0.1", port)
        for _ in range(5):  # new connections each time
            assert httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=5).status_code == 200
    finally:
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=20) == 0
    # No worker outlives it (multiprocessing's tracker ends a moment later, when its pipe closes).
    deadline = time.monotonic() + 10
    while any(Path(f"/proc/{pid}").exists() for pid in family) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in family if Path(f"/proc/{pid}").exists()]


def test_serve_says_when_the_port_is_taken(sample: tuple[str, dict[str, int]]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        args = ["serve", "--db", sample[0], "--workers", "2", "--port", str(port)]
        result = CliRunner().invoke(app, args)
    assert result.exit_code != 0
    assert f"cannot listen on 127.0.0.1:{port}" in result.output

"""``veille serve --workers N``: N server processes, each listening on its own socket of one port.

uvicorn's own ``--workers`` hands one listening socket to every process, and whichever process is
awake first accepts the next connection. A process that has just answered is awake, so in practice
one process accepts nearly every keep-alive connection: in the load check, 50 clients all landed
on one of two workers, which did all the work while the other idled. Here each process binds its
own socket with ``SO_REUSEPORT`` and the kernel spreads new connections over them by a hash of the
client's address and port, so the connections (and the work) are shared out evenly on average.

Linux, the BSDs and macOS have ``SO_REUSEPORT``; elsewhere uvicorn's shared socket is used.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import signal
import socket
from typing import Any

BACKLOG = 2048  # uvicorn's default


def has_reuse_port() -> bool:
    return hasattr(socket, "SO_REUSEPORT")


def _family(host: str) -> socket.AddressFamily:
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def check_port_free(host: str, port: int) -> None:
    """Raise OSError when something listens on ``host:port``: a bind without port sharing fails
    there, whereas the workers' shared sockets could join a group another program left open.
    ``SO_REUSEADDR`` as uvicorn sets it: connections of a server just stopped (TIME_WAIT) do not
    make the port busy."""
    with socket.socket(_family(host), socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind((host, port))


def listening_socket(host: str, port: int) -> socket.socket:
    """One worker's socket: bound with ``SO_REUSEPORT`` to the port its siblings also bind."""
    sock = socket.socket(_family(host), socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.listen(BACKLOG)
    sock.set_inheritable(True)
    return sock


def _worker(app: str, host: str, port: int, options: dict[str, Any]) -> None:
    """The body of one worker process (spawned: a fresh interpreter, no state shared)."""
    import uvicorn

    sock = listening_socket(host, port)
    config = uvicorn.Config(app, factory=True, host=host, port=port, **options)
    uvicorn.Server(config).run(sockets=[sock])


def run_workers(workers: int, *, app: str, host: str, port: int, options: dict[str, Any]) -> int:
    """Start ``workers`` processes serving ``app`` (a ``module:factory``) and wait for them.

    SIGINT or SIGTERM stops them all (each finishes its requests in flight); when one ends by
    itself, the others are stopped too and its exit code is returned. Returns 0 after a signal.
    """
    check_port_free(host, port)
    context = multiprocessing.get_context("spawn")
    processes = [
        context.Process(target=_worker, args=(app, host, port, options), name=f"veille-worker-{i}")
        for i in range(workers)
    ]
    asked: list[int] = []

    def stop(signum: int = signal.SIGTERM, _frame: object = None) -> None:
        asked.append(signum)
        for process in processes:
            if process.is_alive():
                process.terminate()  # SIGTERM: uvicorn's graceful shutdown

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        for process in processes:
            process.start()
        # Until the first ends (after a signal, or by itself), then the others after stopping them.
        ended = multiprocessing.connection.wait([p.sentinel for p in processes])
        crashed = [p.exitcode or 0 for p in processes if p.sentinel in ended] if not asked else []
        stop()
        for process in processes:
            process.join()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    # uvicorn ends a worker it stopped by raising the same signal again: those exits are the plan.
    return next((code for code in crashed if code), 0)

"""Several worker processes on one port (``callroute serve --workers N``).

This module imports neither the app nor the model: the supervising process stays small (it only
starts, watches and stops the workers); each worker imports the app factory by name.

Each worker binds its own socket with ``SO_REUSEPORT``, so the kernel spreads connections over
them (with one shared socket, measured, one worker took most keep-alive connections and two
workers served fewer requests than one), and with ``TCP_NODELAY`` (without it small replies wait
for the client's delayed ACK, about 40 ms each). Workers share the decision log file (their
group commits queue on one lock) and each watches the champion bundle. A worker that dies is
started again.
"""

from __future__ import annotations

import importlib
import multiprocessing
import signal
import socket
from multiprocessing.connection import wait


def run_workers(factory: str, *, host: str, port: int, workers: int, access_log: bool = False) -> None:
    """Serve ``module:function()`` (an app factory, by name) in ``workers`` processes until SIGTERM/SIGINT."""
    context = multiprocessing.get_context("spawn")  # a fresh interpreter each: no threads or locks inherited

    def start() -> multiprocessing.Process:
        process = context.Process(target=_serve_worker, args=(factory, host, port, access_log), daemon=True)
        process.start()
        return process

    running = [start() for _ in range(workers)]
    stopping = False

    def stop(signum, frame) -> None:
        nonlocal stopping
        stopping = True
        for process in running:
            process.terminate()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    while running:
        wait([p.sentinel for p in running])
        for process in [p for p in running if not p.is_alive()]:
            running.remove(process)
            if not stopping:
                print(f"callroute: worker {process.pid} exited with {process.exitcode}; starting another", flush=True)
                running.append(start())


def _serve_worker(factory: str, host: str, port: int, access_log: bool) -> None:
    import uvicorn

    module, name = factory.split(":")
    app = getattr(importlib.import_module(module), name)()
    sock = listening_socket(host, port, reuse_port=True)
    uvicorn.Server(uvicorn.Config(app, log_level="info", access_log=access_log)).run(sockets=[sock])


def listening_socket(host: str, port: int, *, reuse_port: bool = False) -> socket.socket:
    """A bound TCP socket with ``TCP_NODELAY`` (inherited by accepted connections)."""
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if reuse_port:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((host, port))
    return sock

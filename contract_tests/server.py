"""Start the mock as a real server: a process, as ``make mock`` does, or an app on a thread of the test.

Either way it listens on 127.0.0.1, on a port the OS picks.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import uvicorn

from mock_server import process

REPO = Path(__file__).resolve().parents[1]


class MockProcess(process.MockProcess):
    """A running ``python -m mock_server`` (or ``make mock`` with ``via_make=True``); ``url`` is its root URL.

    Tests start the server directly: ``make mock`` may install into the venv, which a test must never do. The
    tests of ``make mock`` itself ask for it.
    """

    def __init__(self, args: Sequence[str] = (), *, via_make: bool = False, timeout: float = 15.0) -> None:
        extra = " ".join(args)
        if via_make:
            command = ["make", "-s", "--no-print-directory", "mock", "PORT=0", f"ARGS={extra}"]
        else:
            command = [str(REPO / ".venv/bin/python"), "-m", "mock_server", "--port", "0", *args]
        super().__init__(command, cwd=REPO, timeout=timeout)


@contextmanager
def serve(app: Any, *, timeout: float = 15.0) -> Iterator[str]:
    """Serve the ASGI ``app`` on a free loopback port, on a thread of this process; yields its origin.

    For an app built in this process: one altered by a test, or the mock a drift run compares with.
    """
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="error", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the app did not start serving")
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


def free_port() -> int:
    """A port the OS says is free now (for a process that takes its port as an argument)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port

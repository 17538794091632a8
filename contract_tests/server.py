"""Start the mock as a real server process, the way ``make mock`` does, on a port the OS picks."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from mock_server import process

REPO = Path(__file__).resolve().parents[1]


class MockProcess(process.MockProcess):
    """A running ``make mock`` (or ``python -m mock_server`` with ``via_make=False``); ``url`` is its root URL."""

    def __init__(self, args: Sequence[str] = (), *, via_make: bool = True, timeout: float = 15.0) -> None:
        extra = " ".join(args)
        if via_make:
            command = ["make", "-s", "--no-print-directory", "mock", "PORT=0", f"ARGS={extra}"]
        else:
            command = [str(REPO / ".venv/bin/python"), "-m", "mock_server", "--port", "0", *args]
        super().__init__(command, cwd=REPO, timeout=timeout)

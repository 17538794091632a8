"""Start the mock as a real server process, the way ``make mock`` does, on a port the OS picks."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import threading
import time
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
_LISTENING = re.compile(r"Uvicorn running on (http://[\d.]+:\d+)")


class MockProcess:
    """A running ``make mock``; ``url`` is its root URL. Output is drained so the pipe never fills."""

    def __init__(self, args: Sequence[str] = (), *, via_make: bool = True, timeout: float = 15.0) -> None:
        extra = " ".join(args)
        if via_make:
            command = ["make", "-s", "--no-print-directory", "mock", "PORT=0", f"ARGS={extra}"]
        else:
            command = [str(REPO / ".venv/bin/python"), "-m", "mock_server", "--port", "0", *args]
        self.started = time.monotonic()
        self.process = subprocess.Popen(
            command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True
        )
        self.output: list[str] = []
        self._ready = threading.Event()
        self.url = ""
        threading.Thread(target=self._drain, daemon=True).start()
        if not self._ready.wait(timeout) or not self.url:
            self.stop()
            raise RuntimeError("mock did not start:\n" + "".join(self.output[-40:]))

    def _drain(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.output.append(line)
            match = _LISTENING.search(line)
            if match and not self.url:
                self.url = match.group(1)
                self._ready.set()
        self._ready.set()  # the process ended

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

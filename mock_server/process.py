"""Run the mock as a separate server process on a port the OS picks, and learn its URL from its log.

Shared by the kit's own tests (``contract_tests/server.py``) and by the pytest plugin
for consuming teams (``python -m mock_server`` with the interpreter the kit is installed in).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType

LISTENING = re.compile(r"Uvicorn running on (http://\S+:\d+)")
START_TIMEOUT = 15.0


def mock_command(args: Sequence[str] = ()) -> list[str]:
    """``python -m mock_server`` on a free port, with the running interpreter."""
    return [sys.executable, "-m", "mock_server", "--port", "0", *args]


class MockProcess:
    """A running mock; ``url`` is its root URL (``http://127.0.0.1:PORT``).

    The output is drained on a thread, so the pipe never fills, and kept in ``output`` for error messages.
    The process gets its own session, so ``stop`` also ends what a wrapper such as ``make`` started.
    """

    def __init__(
        self,
        command: Sequence[str],
        *,
        cwd: Path | None = None,
        env: dict[str, str] | None = None,
        timeout: float = START_TIMEOUT,
    ) -> None:
        self.started = time.monotonic()
        self.process = subprocess.Popen(
            list(command),
            cwd=cwd,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        self.output: list[str] = []
        self._ready = threading.Event()
        self.url = ""
        threading.Thread(target=self._drain, daemon=True).start()
        if not self._ready.wait(timeout) or not self.url:
            self.stop()
            raise RuntimeError(f"mock did not start ({' '.join(command)}):\n" + "".join(self.output[-40:]))

    def _drain(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.output.append(line)
            match = LISTENING.search(line)
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

    def __enter__(self) -> MockProcess:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()

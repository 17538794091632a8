"""The mock as a background service (a CI job's): a pid file, ``wait`` until it answers, ``stop`` it.

    contract-mock --port 8080 --pid-file mock.pid > mock.log 2>&1 &
    contract-mock wait --url http://127.0.0.1:8080 --pid-file mock.pid --timeout 30
    ...                                                   # the job's own steps
    contract-mock stop --pid-file mock.pid

``wait`` polls the control API's ``/__mock__/health`` until it answers, and fails with a message saying why when
the time is up or when the process named by the pid file has already exited (a port in use, a bad fixtures file:
its log says which). ``stop`` sends SIGTERM, waits for the mock to finish, and kills it if it does not.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

DEFAULT_URL = "http://127.0.0.1:8080"
HEALTH_PATH = "/__mock__/health"
POLL_SECONDS = 0.1
EXIT_NOT_READY = 1
#: The mock is called directly: an HTTP proxy from the environment would stand between a CI job and its service.
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class NotReady(Exception):
    """The mock did not become ready; ``str()`` says why."""


def write_pid_file(path: Path) -> None:
    """Write this process's id to ``path`` at once (a reader never sees the file half written)."""
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    partial.write_text(f"{os.getpid()}\n", encoding="utf-8")
    os.replace(partial, path)


def remove_pid_file(path: Path) -> None:
    """Remove ``path`` if it still names this process (another mock may have taken it over since)."""
    try:
        if path.read_text(encoding="utf-8").strip() == str(os.getpid()):
            path.unlink()
    except OSError:
        pass


def read_pid(path: Path) -> int | None:
    """The pid in ``path``, or None if there is no such file (yet, or any more)."""
    try:
        return int(path.read_text(encoding="utf-8").strip())
    except FileNotFoundError:
        return None
    except ValueError as exc:
        raise NotReady(f"{path} does not hold a process id") from exc


def running(pid: int) -> bool:
    """Whether process ``pid`` exists and has not exited (a zombie waiting to be reaped counts as exited)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8")
    except OSError:
        return True  # no procfs: existing is all we can tell
    return stat.rpartition(")")[2].split()[0] != "Z"


def health(url: str, timeout: float) -> dict[str, Any]:
    """The health document of the mock at ``url``; raises OSError (or ValueError) while it does not answer."""
    with _DIRECT.open(url.rstrip("/") + HEALTH_PATH, timeout=timeout) as response:
        document = json.load(response)
    if not isinstance(document, dict) or document.get("status") != "ok":
        raise ValueError(f"unexpected health answer {document!r}")
    return document


def wait(
    url: str,
    *,
    timeout: float,
    pid_file: Path | None = None,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> str:
    """Poll ``url``'s health until it answers; the line to print. Raises :class:`NotReady` with the reason."""
    deadline = clock() + timeout
    last_error = "no answer yet"
    while True:
        if pid_file is not None:
            pid = read_pid(pid_file)
            if pid is not None and not running(pid):
                raise NotReady(f"the mock (pid {pid}, from {pid_file}) exited before it answered; its output says why")
        try:
            document = health(url, timeout=max(0.1, min(2.0, deadline - clock())))
        except (OSError, ValueError) as exc:
            last_error = str(getattr(exc, "reason", None) or exc)
        else:
            apis = ", ".join(str(api.get("name")) for api in document.get("apis", []))
            return f"mock ready at {url} (version {document.get('version')}; APIs: {apis})"
        if clock() >= deadline:
            raise NotReady(f"no answer from {url.rstrip('/')}{HEALTH_PATH} within {timeout:g} s (last: {last_error})")
        sleep(POLL_SECONDS)


def stop(pid_file: Path, *, timeout: float) -> str:
    """SIGTERM the mock named by ``pid_file`` and wait for it to exit (SIGKILL after ``timeout``); what happened."""
    pid = read_pid(pid_file)
    if pid is None:
        return f"nothing to stop: {pid_file} does not exist (the mock removes it when it exits)"
    if not running(pid):
        pid_file.unlink(missing_ok=True)
        return f"the mock (pid {pid}) had already exited"
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while running(pid) and pid_file.exists():
        if time.monotonic() >= deadline:
            os.kill(pid, signal.SIGKILL)
            pid_file.unlink(missing_ok=True)
            return f"the mock (pid {pid}) did not stop within {timeout:g} s of SIGTERM, and was killed"
        time.sleep(POLL_SECONDS)
    return f"stopped the mock (pid {pid})"


def main(argv: list[str], prog: str) -> int:
    """``wait`` and ``stop``, the commands beside serving."""
    parser = argparse.ArgumentParser(prog=prog, description=__doc__.split("\n", 1)[0])
    commands = parser.add_subparsers(dest="command", required=True)
    waiting = commands.add_parser("wait", help="wait until the mock answers its health check")
    waiting.add_argument("--url", default=DEFAULT_URL, help=f"the mock's root URL (default: {DEFAULT_URL})")
    waiting.add_argument("--timeout", type=float, default=30.0, help="seconds before giving up (default: 30)")
    waiting.add_argument("--pid-file", type=Path, help="fail at once if the process it names has exited")
    stopping = commands.add_parser("stop", help="stop the mock started with --pid-file")
    stopping.add_argument("--pid-file", type=Path, required=True, help="the file given to the mock's --pid-file")
    stopping.add_argument("--timeout", type=float, default=10.0, help="seconds before SIGKILL (default: 10)")
    args = parser.parse_args(argv)
    try:
        if args.command == "wait":
            message = wait(args.url, timeout=args.timeout, pid_file=args.pid_file)
        else:
            message = stop(args.pid_file, timeout=args.timeout)
    except NotReady as exc:
        print(f"{prog} {args.command}: {exc}", file=sys.stderr, flush=True)
        return EXIT_NOT_READY
    print(message, flush=True)
    return 0

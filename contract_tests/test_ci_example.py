"""The CI recipe: the example workflow's steps run as written against the installed kit, and its failure modes.

``docs/ci/github-actions.yml`` starts the mock in the background, waits until it answers, calls it through the
generated Nexudus client and stops it. Each of its ``run`` steps is run here the way GitHub runs it (bash with
``-eo pipefail``, the job's environment, ``if:`` honoured); the steps GitHub provides (``uses:``) and the
installation (``id: install``, which needs a package index) are stood in for by ``installed_kit``, the same kit
installed from its wheels.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from mock_server import service

from .installed import REPO, InstalledKit
from .server import free_port

WORKFLOW = REPO / "docs/ci/github-actions.yml"
#: Steps whose work installed_kit has done: the installation needs a package index, which tests do not use.
PROVIDED = {"install"}


@dataclass(frozen=True)
class Step:
    name: str
    status: str  # "passed", "failed" or "skipped"
    output: str


def job() -> dict[str, Any]:
    with WORKFLOW.open(encoding="utf-8") as fh:
        workflow = yaml.safe_load(fh)
    (only,) = workflow["jobs"].values()
    return dict(only)


def run_job(kit: InstalledKit, workdir: Path, port: int) -> list[Step]:
    """Run the job's ``run`` steps in ``workdir`` as GitHub would, the mock on ``port``; what each step did."""
    spec = job()
    env = kit.env(**{**spec.get("env", {}), "MOCK_PORT": str(port), "GITHUB_RUN_ID": uuid.uuid4().hex})
    failed = False
    steps = []
    for step in spec["steps"]:
        if "uses" in step or step.get("id") in PROVIDED:
            continue
        condition = step.get("if", "success()")
        if not {"always()": True, "failure()": failed, "success()": not failed}[condition]:
            steps.append(Step(step["name"], "skipped", ""))
            continue
        result = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
            cwd=workdir,
            env={**env, **step.get("env", {})},
            capture_output=True,
            text=True,
            timeout=90,
            check=False,
        )
        failed = failed or result.returncode != 0
        status = "failed" if result.returncode else "passed"
        steps.append(Step(step["name"], status, result.stdout + result.stderr))
    return steps


@contextmanager
def cleanup(pid_file: Path) -> Iterator[None]:
    """Whatever the job leaves behind, the mock does not outlive the test."""
    try:
        yield
    finally:
        pid = service.read_pid(pid_file)
        if pid is not None and service.running(pid):
            os.kill(pid, signal.SIGKILL)


def by_name(steps: list[Step]) -> dict[str, Step]:
    return {step.name: step for step in steps}


def test_the_workflow_starts_the_mock_waits_calls_it_through_the_client_and_stops_it(
    installed_kit: InstalledKit, tmp_path: Path
) -> None:
    with cleanup(tmp_path / "mock.pid"):
        steps = run_job(installed_kit, tmp_path, free_port())

    assert [(step.name, step.status) for step in steps] == [
        ("Start the mock in the background", "passed"),
        ("Wait until it answers (fails at once if it could not start)", "passed"),
        ("Call it through the generated client", "passed"),
        ("Stop the mock", "passed"),
        ("Show the mock's log", "skipped"),
    ], "\n".join(f"--- {step.name}\n{step.output}" for step in steps)
    done = by_name(steps)
    waited = done["Wait until it answers (fails at once if it could not start)"].output
    assert waited.startswith("mock ready at http://127.0.0.1:")
    assert done["Call it through the generated client"].output == "workspace 123: Main Coworking Area\n"
    assert "stopped the mock (pid " in done["Stop the mock"].output
    assert not (tmp_path / "mock.pid").exists()
    assert "Landing page: http://127.0.0.1:" in (tmp_path / "mock.log").read_text(encoding="utf-8")


def test_a_mock_that_cannot_start_fails_the_wait_at_once_and_the_log_says_why(
    installed_kit: InstalledKit, tmp_path: Path
) -> None:
    with socket.socket() as taken, cleanup(tmp_path / "mock.pid"):
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        steps = run_job(installed_kit, tmp_path, taken.getsockname()[1])

    done = by_name(steps)
    assert [step.status for step in steps] == ["passed", "failed", "skipped", "passed", "passed"]
    waited = done["Wait until it answers (fails at once if it could not start)"].output
    assert "wait: the mock (pid " in waited and "exited before it answered; its output says why" in waited
    assert "had already exited" in done["Stop the mock"].output
    assert "address already in use" in done["Show the mock's log"].output


def test_wait_gives_up_after_its_timeout_naming_the_url_and_the_last_error() -> None:
    now = [0.0]
    naps: list[float] = []

    def sleep(seconds: float) -> None:
        naps.append(seconds)
        now[0] += seconds

    url = f"http://127.0.0.1:{free_port()}"  # nobody listens there
    with pytest.raises(service.NotReady) as failure:
        service.wait(url, timeout=2.0, clock=lambda: now[0], sleep=sleep)

    assert str(failure.value).startswith(f"no answer from {url}/__mock__/health within 2 s (last: ")
    assert "Connection refused" in str(failure.value)
    assert naps == [service.POLL_SECONDS] * len(naps) and len(naps) >= 19


def test_stop_without_a_pid_file_has_nothing_to_stop(tmp_path: Path) -> None:
    assert service.stop(tmp_path / "mock.pid", timeout=1).startswith("nothing to stop: ")

"""Live runs that say what they do: each operation's progress while it runs (requests sent, statuses so far), a
summary at the end, and, with ``--live-required`` (``make contract-live`` passes it), a failure naming the variables
to set when nothing was tested at all.

A live run paces its requests to the vendor's limits, so one operation can take minutes: without these lines it
looked stuck, and a run that skipped everything looked green. A pytest plugin (``pytest_plugins`` in conftest.py)
with a schemathesis ``after_call`` hook that counts what each live target answered.
"""

from __future__ import annotations

import os
import re
import time
from collections import Counter
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Any

import pytest
import schemathesis

from .contract import Live, current_target, selected_specs

#: A progress line after this many more test cases, or this many more seconds, whichever comes first.
PROGRESS_REQUESTS = 25
PROGRESS_SECONDS = 15.0
LIVE_TEST = re.compile(r"test_contract_live\.py::test_live\[(?P<spec>[^\]]+)\]\[(?P<label>.+)\]$")


@dataclass
class Operation:
    """What one operation did in the live run."""

    spec: str
    label: str
    statuses: Counter[int] = field(default_factory=Counter)
    outcome: str = "not run"
    reason: str = ""
    reported_requests: int = 0
    reported_at: float = field(default_factory=time.monotonic)

    @property
    def requests(self) -> int:
        return sum(self.statuses.values())

    def tally(self) -> str:
        sent = f"{self.requests} test case{'' if self.requests == 1 else 's'}"
        seen = ", ".join(f"{status}: {count}" for status, count in sorted(self.statuses.items()))
        return f"{sent} ({seen})" if seen else sent

    def name(self) -> str:
        return f"{self.spec} {self.label}"


OPERATIONS: dict[tuple[str, str], Operation] = {}
_config: pytest.Config | None = None


def operation(spec: str, label: str) -> Operation:
    return OPERATIONS.setdefault((spec, label), Operation(spec, label))


def say(line: str) -> None:
    """A line on the terminal now, even from inside a test, whose output pytest otherwise captures until it ends."""
    if _config is None:
        return
    terminal = _config.pluginmanager.get_plugin("terminalreporter")
    capture = _config.pluginmanager.get_plugin("capturemanager")
    if terminal is None:
        return
    with capture.global_and_fixture_disabled() if capture is not None else nullcontext():
        terminal.ensure_newline()
        terminal.write_line(line, flush=True)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--live-required",
        action="store_true",
        help="fail when no live operation ran (all skipped), naming the variables to set",
    )


def pytest_configure(config: pytest.Config) -> None:
    global _config
    _config = config


def required(config: pytest.Config | None) -> bool:
    """Whether this is a live run proper (``--live-required``), which reports every operation, skipped or not."""
    return config is not None and bool(config.getoption("live_required"))


@schemathesis.hook
def after_call(context: Any, case: Any, response: Any) -> None:
    """Count each live answer; say how the operation is going every so often."""
    target = current_target()
    if target is None or target.kind != "live":
        return
    current = operation(target.spec.name, case.operation.label)
    current.statuses[response.status_code] += 1
    now = time.monotonic()
    if current.requests == 1:
        say(f"live {current.name()}: started, at most {Live(target.spec, os.environ).rate_limit}")
    elif (
        current.requests - current.reported_requests >= PROGRESS_REQUESTS
        or now - current.reported_at >= PROGRESS_SECONDS
    ):
        say(f"live {current.name()}: {current.tally()} so far")
    else:
        return
    current.reported_requests, current.reported_at = current.requests, now


@pytest.hookimpl(tryfirst=True)  # before the terminal reporter marks the test, so the line is a line of its own
def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Record how each live operation ended: in its call, or in its setup when that failed or skipped it."""
    match = LIVE_TEST.search(report.nodeid)
    if match is None or report.when == "teardown" or (report.when == "setup" and report.passed):
        return
    current = operation(match["spec"], match["label"])
    current.outcome = report.outcome
    if report.skipped and isinstance(report.longrepr, tuple):
        current.reason = str(report.longrepr[2]).removeprefix("Skipped: ")
    if not report.skipped:  # skips are listed, with their reasons, in the summary
        say(f"live {current.name()}: {current.outcome}, {current.tally()}")


def nothing_ran() -> bool:
    return bool(OPERATIONS) and not any(op.outcome in ("passed", "failed") for op in OPERATIONS.values())


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    if not OPERATIONS or (nothing_ran() and not required(config)):
        return  # `make test` without credentials: pytest's own summary lists the skips and their reasons
    terminalreporter.section("live run")
    width = max(len(op.name()) for op in OPERATIONS.values())
    for op in OPERATIONS.values():
        detail = op.reason if op.outcome == "skipped" else op.tally()
        terminalreporter.write_line(f"{op.name():<{width}}  {op.outcome:<7}  {detail}")
    outcomes = Counter(op.outcome for op in OPERATIONS.values())
    counts = ", ".join(f"{count} {outcome}" for outcome, count in sorted(outcomes.items()))
    cases = sum(op.requests for op in OPERATIONS.values())
    # The checks send a few requests of their own (a PUT repeated, read back), which are not counted here.
    terminalreporter.write_line(f"{len(OPERATIONS)} operations: {counts}; {cases} test cases sent")
    if nothing_ran() and required(config):
        terminalreporter.write_line("")
        for line in nothing_ran_message():
            terminalreporter.write_line(line, red=True, bold=True)


def nothing_ran_message() -> list[str]:
    lines = ["Nothing was tested live: every operation was skipped. To run an API, set:"]
    for spec in selected_specs():
        missing = Live(spec, os.environ).missing()
        if missing:
            lines.append(f"  {spec.name:<10} {' '.join(missing)}")
    lines.append('(README.md, "Against the live API", says what each variable is.)')
    return lines


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if required(session.config) and nothing_ran() and exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.NO_TESTS_COLLECTED


def pytest_unconfigure(config: pytest.Config) -> None:
    """The last line of a live run that tested nothing says so, below pytest's own count of skips."""
    if required(config) and nothing_ran():
        terminal = config.pluginmanager.get_plugin("terminalreporter")
        if terminal is not None:
            terminal.write_line("live run failed: nothing was tested; the variables to set are listed above", red=True)

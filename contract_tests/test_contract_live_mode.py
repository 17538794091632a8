"""The live mode of the contract suite, proven against mock servers posing as the live API.

``make contract-live API=cor`` runs in a subprocess with the environment a real live run has (base URL, a
token, the sandbox IDs, writes allowed): against a healthy mock it passes and writes only to the sandbox IDs;
against a broken one it fails; in both cases the token appears nowhere in its output or its reports.
"""

from __future__ import annotations

import re
import subprocess
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import mock_server.cor.handlers as cor_handlers
from mock_server.app import create_app
from mock_server.core.throttle import RateLimit
from mock_server.nexudus import RATE_LIMITS as NEXUDUS_LIMITS

from .contract import (
    LIVE_RATE_LIMIT,
    LIVE_WRITES,
    REPO,
    SAFE_UNEXPECTED_METHODS,
    Live,
    declared_rate,
    vendor_specs,
    without_live_settings,
)
from .server import MockProcess, serve

COR = next(spec for spec in vendor_specs() if spec.name == "cor")
SANDBOX = {"COR_LIVE_WORKSPACE_ID": "TEAMS-WS-12345", "COR_LIVE_USER_ID": "OKTA-USER-12345"}
SANDBOX_PATHS = {
    "/v2/integrations/workspaces/TEAMS-WS-12345",
    "/v2/integrations/users/OKTA-USER-12345",
    "/v2/integrations/users/OKTA-USER-12345/attach",
}
ACCESS_LINE = re.compile(r"mock_server\.access: (\S+) (\S+) (\d{3}) ")


def contract_live(reports: Path, api: str = "cor", **env: str) -> subprocess.CompletedProcess[str]:
    """``make contract-live API=<api>`` (every API for ``api=""``) with ``env``, its reports in ``reports``."""
    return subprocess.run(
        ["make", "-s", "--no-print-directory", "contract-live", f"API={api}", f"REPORTS={reports}"],
        cwd=REPO,
        env=without_live_settings(**env),
        capture_output=True,
        text=True,
        timeout=600,
    )


def live_env(origin: str, token: str) -> dict[str, str]:
    return {
        "COR_BASE_URL": origin + COR.base_path,
        "COR_TOKEN": token,
        LIVE_WRITES: "1",
        LIVE_RATE_LIMIT: "1000/s",  # a local mock needs no protection; the rate limit has its own test
        "CONTRACT_EXAMPLES": "30",
        **SANDBOX,
    }


def occurrences(secret: str, run: subprocess.CompletedProcess[str], reports: Path) -> int:
    texts = [run.stdout, run.stderr, *(p.read_text(encoding="utf-8") for p in reports.rglob("*") if p.is_file())]
    return sum(text.count(secret) for text in texts)


def junit_totals(reports: Path, api: str = "cor") -> dict[str, int]:
    suite = ET.parse(reports / f"contract-live-{api}.xml").getroot().find("testsuite")
    assert suite is not None
    return {key: int(suite.get(key, "0")) for key in ("tests", "failures", "errors", "skipped")}


@pytest.fixture
def secret() -> str:
    return f"live-secret-{uuid.uuid4().hex}"


@pytest.fixture
def strict_auth(tmp_path: Path, secret: str) -> Path:
    """An auth file accepting only ``secret``, so that the ignored_auth check also runs in live mode."""
    path = tmp_path / "auth.yaml"
    path.write_text(f"{secret}:\n  tenant: live-sandbox\n", encoding="utf-8")
    return path


def test_live_mode_against_a_mock_passes_writes_only_sandbox_ids_and_hides_the_token(
    tmp_path: Path, secret: str, strict_auth: Path
) -> None:
    reports = tmp_path / "reports"
    server = MockProcess(["--validate-responses", "--access-log", "--auth-file", str(strict_auth)])
    try:
        run = contract_live(reports, **live_env(server.url, secret))
    finally:
        server.stop()

    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert junit_totals(reports) == {"tests": 3, "failures": 0, "errors": 0, "skipped": 0}
    assert (reports / "observed-status.json").is_file()
    assert occurrences(secret, run, reports) == 0
    requests = [ACCESS_LINE.search(line) for line in server.output]
    sent = [(m.group(1), m.group(2), m.group(3)) for m in requests if m]
    assert len(sent) > 100
    assert {path for _, path, _ in sent} == SANDBOX_PATHS
    assert {method for method, _, _ in sent} <= {"PUT", *(m.upper() for m in SAFE_UNEXPECTED_METHODS)}
    assert {status for _, _, status in sent} >= {"200", "400", "401", "404"}
    # It says what it does: each operation as it starts and ends, then a summary.
    assert "live cor PUT /workspaces/{id}: started, at most 1000/s\n" in run.stdout
    finished = re.findall(r"^live cor (PUT \S+): passed, (\d+) test cases \((200: \d+.*)\)$", run.stdout, re.M)
    assert sorted(label for label, _, _ in finished) == sorted(f"PUT {path}" for path in COR.document["paths"])
    cases = sum(int(count) for _, count, _ in finished)
    assert 100 < cases <= len(sent)  # the checks' own requests (a PUT repeated, read back) are not test cases
    summary = run.stdout.split("= live run =", 1)[1]
    assert f"3 operations: 3 passed; {cases} test cases sent" in summary


def test_live_mode_failures_are_reported_without_the_token(
    tmp_path: Path, secret: str, strict_auth: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The token stays out of failure messages, reproduction commands, Hypothesis's output and the JUnit XML."""
    original: Callable[..., Any] = cor_handlers.update_user

    def without_email(ctx: Any, id: str, body: Any) -> Any:
        response, status = original(ctx, id, body)
        response.pop("email")
        return response, status

    monkeypatch.setattr(cor_handlers, "update_user", without_email)
    reports = tmp_path / "reports"
    with serve(create_app(["cor"], auth_file=strict_auth)) as origin:
        run = contract_live(reports, **live_env(origin, secret))

    assert run.returncode != 0
    assert junit_totals(reports)["failures"] >= 1
    assert "Response violates schema" in run.stdout
    assert "Authorization: [Filtered]" in run.stdout
    assert occurrences(secret, run, reports) == 0


def test_a_live_run_that_tests_nothing_fails_naming_every_variable_to_set(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    run = contract_live(reports, api="")

    assert run.returncode != 0, run.stdout[-3000:]
    assert junit_totals(reports, "all") == {"tests": 7, "failures": 0, "errors": 0, "skipped": 7}
    assert "live cor API not configured: set COR_BASE_URL and COR_TOKEN" in run.stdout
    assert "Nothing was tested live: every operation was skipped. To run an API, set:" in run.stdout
    wanted = {
        "cor": "COR_BASE_URL COR_TOKEN CONTRACT_LIVE_WRITES=1 COR_LIVE_USER_ID COR_LIVE_WORKSPACE_ID",
        "dreadnode": (
            "DREADNODE_BASE_URL DREADNODE_TOKEN CONTRACT_LIVE_WRITES=1 DREADNODE_LIVE_ORG DREADNODE_LIVE_WORKSPACE"
        ),
        "nexudus": "NEXUDUS_BASE_URL NEXUDUS_TOKEN CONTRACT_LIVE_WRITES=1 NEXUDUS_LIVE_WORKSPACE_ID",
    }
    for api, variables in wanted.items():
        assert re.search(rf"^  {api} +{variables}$", run.stdout, re.MULTILINE), api
    assert run.stdout.rstrip().endswith("live run failed: nothing was tested; the variables to set are listed above")


def test_reads_alone_run_and_pass_with_the_writes_skipped(tmp_path: Path, secret: str, strict_auth: Path) -> None:
    """Nexudus configured for reads only: its GET runs, its PUT is skipped with the reason, and the run passes."""
    reports = tmp_path / "reports"
    server = MockProcess(["--validate-responses", "--auth-file", str(strict_auth)])
    env = {"NEXUDUS_BASE_URL": server.url + "/api", "NEXUDUS_TOKEN": secret, "NEXUDUS_RATE_LIMIT": "1000/s"}
    try:
        run = contract_live(reports, api="nexudus", CONTRACT_EXAMPLES="10", **env)
    finally:
        server.stop()

    assert run.returncode == 0, run.stdout[-3000:]
    assert junit_totals(reports, "nexudus") == {"tests": 2, "failures": 0, "errors": 0, "skipped": 1}
    assert re.search(r"^live nexudus GET /collaboration/workspaces/\{id\}: passed, \d+ test cases", run.stdout, re.M)
    assert "2 operations: 1 passed, 1 skipped;" in run.stdout
    assert "PUT changes live data: set CONTRACT_LIVE_WRITES=1 and the sandbox IDs to run it" in run.stdout
    assert occurrences(secret, run, reports) == 0


# -- live settings -------------------------------------------------------------------------------------------------


def test_reads_need_base_url_and_token() -> None:
    assert Live(COR, {}).skip_reason("GET", "/x") == "live cor API not configured: set COR_BASE_URL and COR_TOKEN"
    assert Live(COR, {"COR_TOKEN": "t"}).skip_reason("GET", "/x") == "live cor API not configured: set COR_BASE_URL"
    assert Live(COR, {"COR_TOKEN": "t", "COR_BASE_URL": "https://x"}).skip_reason("GET", "/x") is None


def test_writes_need_the_opt_in_and_a_sandbox_id_for_every_path_parameter() -> None:
    configured = {"COR_TOKEN": "t", "COR_BASE_URL": "https://x"}
    no_writes = Live(COR, configured).skip_reason("PUT", "/users/{id}/attach")
    assert no_writes == "PUT changes live data: set CONTRACT_LIVE_WRITES=1 and the sandbox IDs to run it"

    writes = {**configured, LIVE_WRITES: "1"}
    assert Live(COR, writes).skip_reason("PUT", "/users/{id}/attach") == (
        "set COR_LIVE_USER_ID to the ID of a sandbox entity to run PUT /users/{id}/attach live"
    )
    assert Live(COR, writes).skip_reason("POST", "/users") == (
        "POST /users names no entity, so it cannot be confined to sandbox IDs"
    )
    assert Live(COR, {**writes, **SANDBOX}).skip_reason("PUT", "/users/{id}/attach") is None


def test_body_fields_that_name_the_entity_are_pinned_too() -> None:
    """Found through the PUT's link back to its GET: Nexudus's Id names the record, Dreadnode's key renames it."""
    specs = {spec.name: spec for spec in vendor_specs()}
    nexudus = Live(specs["nexudus"], {"NEXUDUS_LIVE_WORKSPACE_ID": "123"})
    assert nexudus.pins("PUT", "/collaboration/workspaces") == {("body", "Id"): "NEXUDUS_LIVE_WORKSPACE_ID"}
    assert nexudus.sandbox_values("PUT", "/collaboration/workspaces") == ({}, {"Id": 123})

    dreadnode = Live(specs["dreadnode"], {"DREADNODE_LIVE_ORG": "acme", "DREADNODE_LIVE_WORKSPACE": "sandbox"})
    assert dreadnode.sandbox_values("PUT", "/org/{org}/ws/{workspace}") == (
        {"org": "acme", "workspace": "sandbox"},
        {"key": "sandbox"},
    )


@pytest.mark.parametrize(
    ("path", "parameter", "variable"),
    [
        ("/workspaces/{id}", "id", "COR_LIVE_WORKSPACE_ID"),
        ("/users/{id}/attach", "id", "COR_LIVE_USER_ID"),
        ("/companies/{company_id}", "company_id", "COR_LIVE_COMPANY_ID"),
        ("/spaces/coworkers/{coworkerId}", "coworkerId", "COR_LIVE_COWORKER_ID"),
        ("/bookings/{id}/invoice/{lineId}", "lineId", "COR_LIVE_INVOICE_LINE_ID"),
        ("/{tenant}", "tenant", "COR_LIVE_TENANT"),
    ],
)
def test_sandbox_variables_are_named_after_the_resource(path: str, parameter: str, variable: str) -> None:
    assert Live(COR, {}).sandbox_variable(path, parameter) == variable


def test_live_runs_never_try_a_method_that_could_create_or_delete() -> None:
    schema = Live(COR, {}).schema()
    for result in schema.get_all_operations():
        operation = result.ok()
        assert schema.config.phases_for(operation=operation).coverage.unexpected_methods == {"get", "options", "trace"}


def test_the_live_pace_is_the_vendor_s_declared_limits_unless_overridden() -> None:
    specs = {spec.name: spec for spec in vendor_specs()}
    nexudus, cor = specs["nexudus"], specs["cor"]
    assert Live(nexudus, {}).rate_limit == "1/s"  # one request per 100 ms, and 60 writes a minute
    assert Live(cor, {}).rate_limit == "5/s"  # COR declares no limits
    assert Live(nexudus, {LIVE_RATE_LIMIT: "2/s"}).rate_limit == "2/s"
    assert Live(nexudus, {LIVE_RATE_LIMIT: "2/s", "NEXUDUS_RATE_LIMIT": "30/m"}).rate_limit == "30/m"
    assert Live(cor, {"NEXUDUS_RATE_LIMIT": "30/m"}).rate_limit == "5/s"


@pytest.mark.parametrize(
    ("limits", "rate"),
    [
        (NEXUDUS_LIMITS, "1/s"),
        ((RateLimit(requests=100, seconds=60),), "100/m"),
        ((RateLimit(requests=10, seconds=1),), "10/s"),
        ((RateLimit(requests=1, seconds=2),), "1/m"),  # 30/m could send 30 within 2 s
        ((), None),
    ],
)
def test_declared_limits_become_the_fastest_single_rate_within_all_of_them(
    limits: tuple[RateLimit, ...], rate: str | None
) -> None:
    assert declared_rate(limits) == rate


def test_live_requests_are_rate_limited(strict_auth: Path, secret: str) -> None:
    """Every live request takes a token from the run's limiter, which holds the declared rate.

    Checked without waiting for real time: after ten requests at 10/s the limiter refuses an eleventh token at
    once; at 1000/s it still has one after twenty.
    """
    app = create_app(["cor"], auth_file=strict_auth)

    def limiter_after(rate: str, requests: int) -> Any:
        schema = Live(COR, {LIVE_RATE_LIMIT: rate}).schema()
        schema.app = app
        operation = schema["/workspaces/{id}"]["PUT"]
        case = operation.Case(
            path_parameters={"id": "TEAMS-WS-12345"},
            headers={"Authorization": f"Bearer {secret}"},
            body={"metadata": {"source": "MICROSOFT_TEAMS"}},
            media_type="application/json",
        )
        for _ in range(requests):
            assert case.call().status_code == 200
        return schema.config.rate_limit_for(operation=operation)

    assert limiter_after("10/s", 10).try_acquire("next", blocking=False) is False
    assert limiter_after("1000/s", 20).try_acquire("next", blocking=False) is True


def test_the_readme_lists_every_variable_a_live_run_reads() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Against the live API\n", 1)[1].split("\n## ", 1)[0]
    variables = {name.split("=")[0] for spec in vendor_specs() for name in Live(spec, {}).missing()}
    variables |= {LIVE_RATE_LIMIT, "CONTRACT_EXAMPLES"}
    assert "DREADNODE_LIVE_ORG" in variables
    listed = set(re.findall(r"`([A-Z][A-Z_]+)(?:=1)?`", section))
    assert variables <= listed, f"README.md, Against the live API, does not name {sorted(variables - listed)}"
    assert "`<API>_RATE_LIMIT`" in section  # the per-API pace, NEXUDUS_RATE_LIMIT and the like

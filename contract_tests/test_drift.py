"""``make drift`` and ``make drift-replay``, proven against stand-ins for the live API built from the mock itself.

Each API runs once against an identical stand-in: the mock as ``make mock`` serves it, with strict auth (only the
"live" token) and its sandbox entities renamed, so that the cassette's masking shows. That run finds no
difference over at least 50 requests per operation and records a cassette, which replays without difference.
The same cassette edited to disagree, and a stand-in that deviates the same way on purpose (a different status, a
response field left out, another error name), report each deviation and nothing else. The live token and the
sandbox IDs appear in no output, report or cassette.

Runs use the command ``make drift`` runs (read with ``make -n``): GNU make reports any failing command as its own
exit status 2, while the command's own status tells a difference (1) from a run that cannot start (2).
"""

from __future__ import annotations

import json
import re
import subprocess
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from mock_server.app import create_app

from .contract import LIVE_RATE_LIMIT, LIVE_WRITES, REPO, vendor_specs, without_live_settings
from .drift import cli
from .server import MockProcess, serve

SPECS = {spec.name: spec for spec in vendor_specs()}
APIS = ["cor", "nexudus", "dreadnode"]
#: Sandbox IDs of the identical stand-in: its fixture entities under names the specs' examples do not use.
SANDBOX = {
    "cor": {"COR_LIVE_WORKSPACE_ID": "SANDBOX-WS-4821", "COR_LIVE_USER_ID": "SANDBOX-USER-7310"},
    "nexudus": {"NEXUDUS_LIVE_WORKSPACE_ID": "7301942"},
    "dreadnode": {"DREADNODE_LIVE_ORG": "acme-sandbox", "DREADNODE_LIVE_WORKSPACE": "sandbox-ws"},
}
#: The same entities under the default fixtures' own IDs (the deviating stand-in keeps its fixtures).
DEFAULT_SANDBOX = {
    "cor": {"COR_LIVE_WORKSPACE_ID": "TEAMS-WS-12345", "COR_LIVE_USER_ID": "OKTA-USER-12345"},
    "nexudus": {"NEXUDUS_LIVE_WORKSPACE_ID": "123"},
    "dreadnode": {"DREADNODE_LIVE_ORG": "example", "DREADNODE_LIVE_WORKSPACE": "example"},
}
EXAMPLES = "50"


def rename_sandboxes(state: dict[str, Any]) -> dict[str, Any]:
    """The default fixtures with the sandbox entities filed under the IDs of :data:`SANDBOX`."""
    cor = state["cor"]
    workspaces = cor["workspaces"]["MICROSOFT_TEAMS"]
    workspaces["SANDBOX-WS-4821"] = workspaces.pop("TEAMS-WS-12345")
    for users in cor["users"].values():
        users["SANDBOX-USER-7310"] = users.pop("OKTA-USER-12345")
    nexudus = state["nexudus"]["workspaces"]
    nexudus["7301942"] = {**nexudus.pop("123"), "Id": 7301942}
    organizations = state["dreadnode"]["organizations"]
    organizations["acme-sandbox"] = organizations.pop("example")
    sandbox_workspaces = organizations["acme-sandbox"]["workspaces"]
    sandbox_workspaces["sandbox-ws"] = sandbox_workspaces.pop("example")
    return {name: state[name] for name in APIS}


# -- deviations ----------------------------------------------------------------------------------------------------

#: ``(method, path, status, body) → (status, body)``: what a deviating stand-in (or an edited cassette) answers.
Rewrite = Callable[[str, str, int, bytes], tuple[int, bytes]]


def _edit(body: bytes, change: Callable[[Any], Any]) -> bytes:
    return json.dumps(change(json.loads(body))).encode()


def _without(field: str) -> Callable[[Any], Any]:
    return lambda document: {key: value for key, value in document.items() if key != field}


def cor_deviations(method: str, path: str, status: int, body: bytes) -> tuple[int, bytes]:
    if re.fullmatch(r"/v2/integrations/workspaces/[^/]+", path) and status == 404:
        return 400, body  # an unknown workspace is a 400, not a 404
    if re.fullmatch(r"/v2/integrations/users/[^/]+", path) and method == "PUT" and status == 200:
        return status, _edit(body, _without("phone"))  # the user comes back without its phone
    if path.endswith("/attach") and status == 400 and json.loads(body).get("name") == "ValidationError":
        return status, _edit(body, lambda error: {**error, "name": "InvalidRequestError"})  # another error name
    return status, body


def nexudus_deviations(method: str, path: str, status: int, body: bytes) -> tuple[int, bytes]:
    if path == "/api/collaboration/workspaces" and method == "PUT" and status == 401:
        return 403, body  # a refused credential is a 403
    if path.startswith("/api/collaboration/workspaces/") and method == "GET" and status == 200:
        return status, _edit(body, _without("Archived"))  # the record comes back without Archived

    def rename(error: Any) -> Any:
        names = [
            {**item, "PropertyName": "WorkspaceName"} if item["PropertyName"] == "Name" else item
            for item in error["Errors"]
        ]
        return {**error, "Errors": names}

    if status == 400 and b'"PropertyName": "Name"' in body:
        return status, _edit(body, rename)  # a violation of Name names another property
    return status, body


def dreadnode_deviations(method: str, path: str, status: int, body: bytes) -> tuple[int, bytes]:
    if method == "PUT" and status == 422:
        return 400, body  # an invalid body is a 400, not FastAPI's 422
    if method == "GET" and status == 200:
        return status, _edit(body, _without("project_count"))  # the workspace comes back without project_count
    if status == 401:
        return status, _edit(body, lambda error: {**error, "type": "unauthenticated"})  # another error type
    return status, body


DEVIATIONS: dict[str, Rewrite] = {
    "cor": cor_deviations,
    "nexudus": nexudus_deviations,
    "dreadnode": dreadnode_deviations,
}


@dataclass(frozen=True)
class Expected:
    """A difference a deviation must cause: operation (None: any), statuses, and a pattern its detail matches."""

    operation: str | None
    live: int
    mock: int
    detail: str

    def matches(self, difference: dict[str, Any]) -> bool:
        return (
            self.operation in (None, difference["operation"])
            and (difference["live_status"], difference["mock_status"]) == (self.live, self.mock)
            and re.fullmatch(self.detail, difference["detail"]) is not None
        )


EXPECTED = {
    "cor": [
        Expected(
            "PUT /workspaces/{id}",
            400,
            404,
            r'status: live 400 \(name "WorkspaceNotFoundError", code "ZC001"\), '
            r'the mock 404 \(name "WorkspaceNotFoundError", code "ZC001"\)',
        ),
        Expected("PUT /users/{id}", 200, 200, r"extra field: `phone`: the mock sends it, live does not"),
        Expected(
            "PUT /users/{id}/attach", 400, 400, r'error: name: live "InvalidRequestError", the mock "ValidationError"'
        ),
    ],
    "nexudus": [
        Expected("PUT /collaboration/workspaces", 403, 401, r"status: live 403, the mock 401"),
        Expected(
            "GET /collaboration/workspaces/{id}", 200, 200, r"extra field: `Archived`: the mock sends it, live does not"
        ),
        Expected(
            "PUT /collaboration/workspaces",
            400,
            400,
            r'error: Errors\[\]\.PropertyName: live \[.*"WorkspaceName".*\], the mock \[.*"Name".*\]',
        ),
    ],
    "dreadnode": [
        Expected("PUT /org/{org}/ws/{workspace}", 400, 422, r'status: live 400 \(type "validation_error"\), .*'),
        Expected(
            "GET /org/{org}/ws/{workspace}", 200, 200, r"extra field: `project_count`: the mock sends it, live does not"
        ),
        Expected(None, 401, 401, r'error: type: live "unauthenticated", the mock "authentication_error"'),
    ],
}


def assert_exactly(expected: list[Expected], differences: list[dict[str, Any]]) -> None:
    """Each expected difference is reported, and every reported difference is one of them."""
    unexpected = [d for d in differences if not any(e.matches(d) for e in expected)]
    assert not unexpected, json.dumps(unexpected[:5], indent=2)
    missing = [e for e in expected if not any(e.matches(d) for d in differences)]
    assert not missing, missing


class Deviating:
    """An ASGI app's answers, each rewritten by ``rewrite`` (status and body; Content-Length follows)."""

    def __init__(self, app: Any, rewrite: Rewrite) -> None:
        self.app = app
        self.rewrite = rewrite

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def capture(message: Any) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
                return
            if message["type"] != "http.response.body":
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            status, body = self.rewrite(scope["method"], scope["path"], start["status"], b"".join(chunks))
            headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
            headers.append((b"content-length", str(len(body)).encode()))
            await send({**start, "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, capture)


def edit_cassette(source: Path, target: Path, rewrite: Rewrite) -> None:
    """``source`` with each recorded answer rewritten as the deviating stand-in would have answered."""
    har = json.loads(source.read_text(encoding="utf-8"))
    for entry in har["log"]["entries"]:
        request, response = entry["request"], entry["response"]
        content = response["content"]
        status, body = rewrite(
            request["method"], urlsplit(request["url"]).path, response["status"], (content.get("text") or "").encode()
        )
        response["status"], content["text"] = status, body.decode()
    target.write_text(json.dumps(har), encoding="utf-8")


# -- running make drift --------------------------------------------------------------------------------------------


def make_command(target: str, **variables: str) -> str:
    """The command ``make <target>`` runs with ``variables``, as ``make -n`` prints it."""
    printed = subprocess.run(
        ["make", "-n", "-s", "--no-print-directory", target, *(f"{k}={v}" for k, v in variables.items())],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    commands = re.sub(r"\\\n\s*", " ", printed).splitlines()  # a recipe line continued with a backslash
    return next(line for line in commands if "-m contract_tests.drift" in line)


def run(target: str, env: dict[str, str] | None = None, **variables: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-c", make_command(target, **variables)],
        cwd=REPO,
        env=without_live_settings(**(env or {})),
        capture_output=True,
        text=True,
        timeout=600,
    )


def live_env(api: str, origin: str, token: str, sandbox: dict[str, str], examples: str = EXAMPLES) -> dict[str, str]:
    spec = SPECS[api]
    return {
        spec.env("BASE_URL"): origin + spec.base_path,
        spec.env("TOKEN"): token,
        LIVE_WRITES: "1",
        LIVE_RATE_LIMIT: "1000/s",  # a local stand-in needs no protection; the rate limit has its own test
        "CONTRACT_EXAMPLES": examples,
        **sandbox,
    }


def report(reports: Path, api: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((reports / f"drift-{api}.json").read_text(encoding="utf-8"))
    return loaded


def requests_per_operation(reports: Path, api: str) -> dict[str, int]:
    suite = ET.parse(reports / f"drift-{api}.xml").getroot().find("testsuite")
    assert suite is not None
    found = {}
    for case in suite.iter("testcase"):
        prop = case.find("properties/property[@name='requests']")
        assert prop is not None
        found[case.get("name", "")] = int(prop.get("value", "0"))
    return found


def shown(process: subprocess.CompletedProcess[str]) -> str:
    return (process.stdout + process.stderr)[-4000:]


# -- the identical stand-in, and its recording ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def secret() -> str:
    return f"live-secret-{uuid.uuid4().hex}"


@pytest.fixture(scope="module")
def stand_in(tmp_path_factory: pytest.TempPathFactory, secret: str) -> Iterator[str]:
    """``make mock`` accepting only ``secret``, its sandbox entities renamed: the live API, as far as a run can tell."""
    auth = tmp_path_factory.mktemp("stand-in") / "auth.yaml"
    auth.write_text(f"{secret}:\n  tenant: live-sandbox\n  admin: true\n", encoding="utf-8")  # it seeds its state
    server = MockProcess(["--auth-file", str(auth)])
    try:
        with httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {secret}"}, timeout=10) as http:
            state = http.get("/__mock__/state").raise_for_status().json()
            http.put("/__mock__/state", json=rename_sandboxes(state)).raise_for_status()
        yield server.url
    finally:
        server.stop()


@dataclass(frozen=True)
class Recorded:
    api: str
    run: subprocess.CompletedProcess[str]
    reports: Path
    cassette: Path


@pytest.fixture(scope="module", params=APIS)
def recorded(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, stand_in: str, secret: str
) -> Recorded:
    """``make drift API=<api> RECORD=...`` against the identical stand-in."""
    api = request.param
    directory = tmp_path_factory.mktemp(f"drift-{api}")
    reports, cassette = directory / "reports", directory / f"{api}.har"
    process = run(
        "drift",
        live_env(api, stand_in, secret, SANDBOX[api]),
        API=api,
        REPORTS=str(reports),
        RECORD=str(cassette),
    )
    return Recorded(api, process, reports, cassette)


def test_drift_against_an_identical_stand_in_finds_no_difference(recorded: Recorded) -> None:
    assert recorded.run.returncode == 0, shown(recorded.run)
    found = report(recorded.reports, recorded.api)
    assert set(found) == {"api", "cases", "differences"}
    assert (found["api"], found["differences"]) == (recorded.api, [])
    per_operation = requests_per_operation(recorded.reports, recorded.api)
    assert set(per_operation) == {
        f"{m.upper()} {p}"
        for p, item in SPECS[recorded.api].document["paths"].items()
        for m in item
        if m != "parameters"
    }
    assert min(per_operation.values()) >= 50, per_operation
    assert found["cases"] == sum(per_operation.values())
    assert "no difference" in (recorded.reports / f"drift-{recorded.api}.md").read_text(encoding="utf-8")
    assert f"drift {recorded.api}: {found['cases']} requests, 0 differences" in recorded.run.stdout


def test_the_token_and_the_sandbox_ids_appear_in_no_output_report_or_cassette(recorded: Recorded, secret: str) -> None:
    texts = {
        "output": recorded.run.stdout + recorded.run.stderr,
        "cassette": recorded.cassette.read_text(encoding="utf-8"),
        **{path.name: path.read_text(encoding="utf-8") for path in recorded.reports.iterdir()},
    }
    assert {name: text.count(secret) for name, text in texts.items() if secret in text} == {}
    sandbox_ids = SANDBOX[recorded.api].values()
    assert [value for value in sandbox_ids if value in texts["cassette"]] == []
    entries = json.loads(texts["cassette"])["log"]["entries"]
    credentials = {h["value"] for e in entries for h in e["request"]["headers"] if h["name"].lower() == "authorization"}
    assert "Bearer [Filtered]" in credentials  # masked, not dropped


def test_replaying_the_recording_finds_no_difference(recorded: Recorded, tmp_path: Path) -> None:
    replay = run("drift-replay", API=recorded.api, CASSETTE=str(recorded.cassette), REPORTS=str(tmp_path))

    assert replay.returncode == 0, shown(replay)
    found = report(tmp_path, recorded.api)
    assert found["differences"] == []
    assert found["cases"] == len(json.loads(recorded.cassette.read_text(encoding="utf-8"))["log"]["entries"])
    assert requests_per_operation(tmp_path, recorded.api) == requests_per_operation(recorded.reports, recorded.api)


def test_a_cassette_edited_to_disagree_reports_each_edit_and_nothing_else(recorded: Recorded, tmp_path: Path) -> None:
    edited = tmp_path / "edited.har"
    edit_cassette(recorded.cassette, edited, DEVIATIONS[recorded.api])

    replay = run("drift-replay", API=recorded.api, CASSETTE=str(edited), REPORTS=str(tmp_path / "reports"))

    assert replay.returncode == 1, shown(replay)
    assert_exactly(EXPECTED[recorded.api], report(tmp_path / "reports", recorded.api)["differences"])


# -- a deviating stand-in ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("api", APIS)
def test_drift_against_a_deviating_stand_in_reports_each_deviation_and_nothing_else(
    api: str, tmp_path: Path, secret: str
) -> None:
    auth = tmp_path / "auth.yaml"
    auth.write_text(f"{secret}:\n  tenant: live-sandbox\n", encoding="utf-8")
    with serve(Deviating(create_app([api], auth_file=auth), DEVIATIONS[api])) as origin:
        process = run(
            "drift", live_env(api, origin, secret, DEFAULT_SANDBOX[api], "10"), API=api, REPORTS=str(tmp_path)
        )

    assert process.returncode == 1, shown(process)
    found = report(tmp_path, api)
    assert_exactly(EXPECTED[api], found["differences"])
    assert all(secret not in json.dumps(d) for d in found["differences"])
    first = found["differences"][0]
    assert set(first) == {"operation", "live_status", "mock_status", "detail", "request"}
    assert set(first["request"]) == {"method", "path", "headers", "body"}


# -- not configured ------------------------------------------------------------------------------------------------


def test_a_run_without_the_live_settings_stops_with_status_2_naming_them() -> None:
    nothing = run("drift", API="cor")
    assert nothing.returncode == 2, shown(nothing)
    assert "live cor API not configured: set COR_BASE_URL and COR_TOKEN" in nothing.stderr

    no_sandbox = run(
        "drift", {"COR_BASE_URL": "http://127.0.0.1:9/v2/integrations", "COR_TOKEN": "t", LIVE_WRITES: "1"}, API="cor"
    )
    assert no_sandbox.returncode == 2, shown(no_sandbox)
    assert "set COR_LIVE_WORKSPACE_ID to the ID of a sandbox entity" in no_sandbox.stderr
    assert "set COR_LIVE_USER_ID to the ID of a sandbox entity" in no_sandbox.stderr


def test_make_drift_itself_fails_without_the_live_settings() -> None:
    """Through make, any failure of the command is make's own status 2; the message is the command's."""
    process = subprocess.run(
        ["make", "-s", "--no-print-directory", "drift", "API=nexudus"],
        cwd=REPO,
        env=without_live_settings(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert process.returncode == 2
    assert "set NEXUDUS_BASE_URL and NEXUDUS_TOKEN" in process.stderr


# -- a recording of make contract-live -----------------------------------------------------------------------------


def test_a_live_contract_run_records_a_cassette_that_replays_without_difference(
    stand_in: str, secret: str, tmp_path: Path
) -> None:
    cassette = tmp_path / "nexudus.har"
    env = live_env("nexudus", stand_in, secret, SANDBOX["nexudus"], "5")
    contract = subprocess.run(
        [
            "make",
            "-s",
            "--no-print-directory",
            "contract-live",
            "API=nexudus",
            f"REPORTS={tmp_path}",
            f"RECORD={cassette}",
        ],
        cwd=REPO,
        env=without_live_settings(**env),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert contract.returncode == 0, shown(contract)
    text = cassette.read_text(encoding="utf-8")
    assert secret not in text and SANDBOX["nexudus"]["NEXUDUS_LIVE_WORKSPACE_ID"] not in text
    entries = json.loads(text)["log"]["entries"]
    assert entries[0]["request"]["method"] == "GET"  # the sandbox read a replay learns from, first

    replay = run("drift-replay", API="nexudus", CASSETTE=str(cassette), REPORTS=str(tmp_path / "replay"))
    assert replay.returncode == 0, shown(replay)
    assert report(tmp_path / "replay", "nexudus")["cases"] == len(entries)


# -- the vendor docs' examples as cassettes ------------------------------------------------------------------------

DOCS_CASSETTES = REPO / "contract_tests" / "cassettes"
#: What the docs' own examples show that the mock does otherwise (README, "Drift"). COR's three examples agree.
DOCS_DIFFERENCES = {
    "cor": [],
    # The docs answer the reference request (Id 123) with the envelope of their other example (Id 87654321).
    "nexudus": [
        Expected("PUT /collaboration/workspaces", 200, 200, r"value: `Value\.Id`: live 87654321, the mock 123"),
    ],
    # The docs show no headers; the mock's 401 names its scheme, as RFC 7235 requires (an x-assumption).
    "dreadnode": [
        Expected(
            "PUT /org/{org}/ws/{workspace}",
            401,
            401,
            r'header: WWW-Authenticate: live sends none, the mock "Bearer realm=\\"Dreadnode API\\""',
        )
    ],
}


@pytest.mark.parametrize("api", APIS)
def test_the_committed_docs_cassettes_are_the_vendor_examples(api: str, tmp_path: Path) -> None:
    built = tmp_path / f"{api}-docs.har"
    assert cli.main(["docs-cassette", "--api", api, "--output", str(built)]) == 0
    assert built.read_text(encoding="utf-8") == (DOCS_CASSETTES / f"{api}-docs.har").read_text(encoding="utf-8")


@pytest.mark.parametrize("api", APIS)
def test_replaying_the_docs_examples_shows_where_the_mock_differs_from_the_docs(api: str, tmp_path: Path) -> None:
    cassette = DOCS_CASSETTES / f"{api}-docs.har"
    replay = run("drift-replay", API=api, CASSETTE=str(cassette), REPORTS=str(tmp_path), START="defaults")

    assert replay.returncode == (1 if DOCS_DIFFERENCES[api] else 0), shown(replay)
    found = report(tmp_path, api)
    assert found["cases"] == len(json.loads(cassette.read_text(encoding="utf-8"))["log"]["entries"])
    assert_exactly(DOCS_DIFFERENCES[api], found["differences"])

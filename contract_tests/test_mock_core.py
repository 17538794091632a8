"""The shared mock core: start-up, fixtures, tenancy, journal, Prefer and response validation."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from mock_server.app import create_app, open_redis
from mock_server.core.store import Store

from .conftest import REPO
from .server import MockProcess

PYTHON = str(REPO / ".venv/bin/python")
WORKSPACE = "/v2/integrations/workspaces/TEAMS-WS-12345"
#: Every vendor spec in openapi/ (the control API aside): `make mock` serves them all.
VENDOR_SPECS = sorted(path.stem for path in (REPO / "openapi").glob("*.yaml") if path.stem != "mock_admin")
TEAMS = {"metadata": {"source": "MICROSOFT_TEAMS"}}


def run_mock(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [PYTHON, "-m", "mock_server", "--port", "0", *args], cwd=REPO, capture_output=True, text=True, timeout=30
    )


def test_make_mock_serves_every_api_and_answers_health() -> None:
    """How fast it starts is measured by ``make bench`` (start-up to the first health answer), not here."""
    with MockProcess(via_make=True) as server:
        response = httpx.get(server.url + "/__mock__/health", timeout=3)
        assert response.status_code == 200
        assert response.json()["status"] == "ok"
        assert sorted(api["name"] for api in response.json()["apis"]) == VENDOR_SPECS


@pytest.mark.parametrize(
    ("content", "entry", "problem"),
    [
        ("cor:\n  company_id: 0\n", "cor.company_id", "must be at least 1"),
        ("cor: [1, 2]\n", "cor", "must be of type object"),
        ("nexus: {}\n", "nexus", "unknown API"),
        (
            "cor: {company_id: 1, integrations: {}, workspaces: {}, positions: {}, seniorities: {},\n"
            "      users: {OKTA: {u1: {id: 1, email: a@b.co, first_name: A, last_name: B, role_id: 1, daily_hours: 8,\n"
            "                          created_at: '2025-01-01T00:00:00Z', updated_at: '2025-01-01T00:00:00Z',\n"
            "                          seniority_id: s9}}}}\n",
            "cor.users.OKTA.u1.seniority_id",
            "is not in",
        ),
        (": : not yaml [", "(file)", "not valid YAML"),
    ],
    ids=["bad-value", "wrong-type", "unknown-api", "dangling-reference", "not-yaml"],
)
def test_bad_fixtures_file_stops_start_up_with_status_2(tmp_path: Path, content: str, entry: str, problem: str) -> None:
    fixtures = tmp_path / "fixtures.yaml"
    fixtures.write_text(content)
    result = run_mock("--fixtures", str(fixtures))
    assert result.returncode == 2, result.stderr
    message = result.stderr.strip().splitlines()[-1]
    assert str(fixtures) in message
    assert entry in message
    assert problem in message
    assert "Traceback" not in result.stderr


def test_more_than_one_worker_is_refused_with_the_in_memory_store() -> None:
    result = run_mock("--workers", "4")
    assert result.returncode == 2
    assert "--workers must be 1 with the in-memory store" in result.stderr
    assert "--store redis://" in result.stderr


def test_unknown_api_is_refused() -> None:
    result = run_mock("--api", "nope")
    assert result.returncode == 2
    assert "unknown API nope" in result.stderr


def test_tenants_are_bounded_and_the_oldest_is_evicted(store_url: str | None) -> None:
    defaults = {"cor": {"n": 0}}
    store = Store(defaults, max_tenants=3) if store_url is None else open_redis(store_url, defaults, max_tenants=3)
    for key in "abcd":
        with store.write(key, "cor") as state:
            state["n"] = key
    assert store.tenant_count == 3
    assert store.snapshot("a") == {"cor": {"n": 0}}  # evicted, so back to the defaults
    assert store.snapshot("d") == {"cor": {"n": "d"}}


def test_journal_records_requests_with_credentials_masked(client: httpx.Client, token: str) -> None:
    client.put(WORKSPACE, json={**TEAMS, "name": "Journaled"}, headers={"X-Trace": "t1"})
    client.put("/v2/integrations/workspaces/NOPE", json=TEAMS)
    entries = client.get("/__mock__/requests").json()["requests"]
    assert [(e["method"], e["path"], e["status"]) for e in entries] == [
        ("PUT", WORKSPACE, 200),
        ("PUT", "/v2/integrations/workspaces/NOPE", 404),
    ]
    assert entries[0]["headers"]["authorization"] == "***"
    assert "Journaled" in entries[0]["body"]
    assert token not in str(entries)
    assert client.delete("/__mock__/requests").status_code == 204
    assert client.get("/__mock__/requests").json() == {"requests": []}


def test_journal_keeps_each_answer_and_filters_by_method_path_status_and_time(client: httpx.Client) -> None:
    client.put(WORKSPACE, json={**TEAMS, "name": "First"})
    first = client.get("/__mock__/requests").json()["requests"][-1]
    client.put("/v2/integrations/workspaces/NOPE", json=TEAMS)
    client.put("/v2/integrations/users/OKTA-USER-12345", json={"metadata": {"source": "OKTA"}, "role_id": 9})

    def listed(**filters: str) -> list[tuple[str, int]]:
        entries = client.get("/__mock__/requests", params=filters).json()["requests"]
        return [(e["path"].rsplit("/", 1)[-1], e["status"]) for e in entries]

    assert '"name": "First"' in first["response_body"] and first["response_body_truncated"] is False
    assert listed(status="4xx") == [("NOPE", 404), ("OKTA-USER-12345", 400)]
    assert listed(status="404") == [("NOPE", 404)]
    assert listed(path="/users/", method="put") == [("OKTA-USER-12345", 400)]
    assert listed(method="GET") == []
    assert listed(since=first["time"]) == [("NOPE", 404), ("OKTA-USER-12345", 400)]
    entries = client.get("/__mock__/requests", params={"status": "400"}).json()["requests"]
    assert "InvalidRoleError" in entries[0]["response_body"]
    assert client.get("/__mock__/requests", params={"status": "4x"}).status_code == 400


def test_state_can_be_replaced_and_bad_state_changes_nothing(client: httpx.Client) -> None:
    state = client.get("/__mock__/state").json()
    state["cor"]["workspaces"]["MICROSOFT_TEAMS"]["TEAMS-WS-12345"]["name"] = "From a fixture document"
    assert client.put("/__mock__/state", json=state).status_code == 200
    assert client.put(WORKSPACE, json=TEAMS).json()["name"] == "From a fixture document"

    state = client.get("/__mock__/state").json()
    broken = {"cor": {**state["cor"], "company_id": -1}}
    response = client.put("/__mock__/state", json=broken)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"].endswith("company_id")
    assert client.get("/__mock__/state").json() == state


def test_prefer_delay_delays_the_response(token: str) -> None:
    waited: list[float] = []

    async def sleep(seconds: float) -> None:  # the injected sleep: records the wait instead of taking it
        waited.append(seconds)

    app = create_app(["cor"], validate_responses=True, sleep=sleep)
    with TestClient(app, headers={"Authorization": f"Bearer {token}"}) as http:
        response = http.put(WORKSPACE, json=TEAMS, headers={"Prefer": "delay=300"})
        assert response.status_code == 200
        assert waited == [0.3]
        assert http.put(WORKSPACE, json=TEAMS, headers={"Prefer": "delay=30001"}).status_code == 400
        assert waited == [0.3]


def test_a_response_that_breaks_the_spec_fails_when_responses_are_validated(monkeypatch: pytest.MonkeyPatch) -> None:
    def drops_a_required_field(ctx: Any, id: str, body: dict[str, Any]) -> tuple[dict[str, Any], int]:
        return {"id": 5001, "name": "no other field"}, 200

    monkeypatch.setattr("mock_server.cor.handlers.update_workspace", drops_a_required_field)
    with TestClient(create_app(["cor"], validate_responses=True), raise_server_exceptions=False) as http:
        response = http.put(WORKSPACE, json=TEAMS, headers={"Authorization": "Bearer t"})
    assert response.status_code == 500
    assert response.json()["name"] == "InternalServerError"
    assert "Traceback" not in response.text


@pytest.mark.parametrize("segment", ["a%0Ab", "a%0D%0A", "%0A", "a%14"])
def test_a_control_character_in_a_path_parameter_is_a_400(client: httpx.Client, segment: str) -> None:
    """Found by schemathesis: a line break used to miss the route and answer 404 "no operation"."""
    response = client.put(f"/v2/integrations/workspaces/{segment}", json=TEAMS)
    assert response.status_code == 400
    assert response.json()["name"] == "BadRequestError"

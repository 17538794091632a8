"""Nexudus behaviour of the mock: the docs' requests and the update semantics over real HTTP against ``make mock``;
roles, the clock and Basic credentials in-process."""

from __future__ import annotations

import base64
import importlib.util
import json
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from openapi_schema_validator import OAS30Validator
from starlette.testclient import TestClient

from mock_server.app import create_app

from .conftest import REPO, SPEC_DIR, load_yaml
from .roundtrip import json_types, operations
from .server import MockProcess
from .spec_tools import dereference

BASE = "/api"
WORKSPACES = f"{BASE}/collaboration/workspaces"
DOC_EXAMPLES = load_yaml(REPO / "contract_tests/vendor_examples/nexudus.yaml")
VENDOR_ORIGIN = "https://spaces.nexudus.com"
SPEC = dereference(load_yaml(SPEC_DIR / "nexudus.yaml"))
DENIED = {"Message": "Authorization has been denied for this request."}
#: The fixture workspace of the reference request, and what a PUT must send.
REQUIRED = {"Id": 123, "BusinessId": 123, "AdministratorId": 123, "Name": "Main Coworking Area"}


def workspace(client: httpx.Client | TestClient, workspace_id: int = 123) -> dict[str, Any]:
    """The workspace as the vendor's own GET returns it."""
    response = client.get(f"{WORKSPACES}/{workspace_id}")
    assert response.status_code == 200, response.text
    record: dict[str, Any] = response.json()
    return record


def response_schema(operation_id: str, status: int) -> dict[str, Any]:
    _, _, operation = operations(SPEC)[operation_id]
    return dict(operation["responses"][str(status)]["content"]["application/json"]["schema"])


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


# ---- the docs' own requests -------------------------------------------------------------------------------------


@pytest.mark.parametrize("example", sorted(DOC_EXAMPLES))
def test_doc_request_gets_the_documented_status_and_shape(mock_server: MockProcess, example: str) -> None:
    doc = DOC_EXAMPLES[example]
    url = doc["url"].replace(VENDOR_ORIGIN, mock_server.url)
    response = httpx.request(doc["method"], url, headers=doc["headers"], content=doc["body"], timeout=10)

    assert response.status_code == doc["status"], response.text
    documented = json.loads(doc["response"])
    assert json_types(response.json()) == json_types(documented)
    OAS30Validator(response_schema("update_workspace", doc["status"])).validate(response.json())


def test_reference_request_answers_the_success_envelope_for_the_id_sent(mock_server: MockProcess) -> None:
    doc = DOC_EXAMPLES["reference_request"]
    headers = {**doc["headers"], "Authorization": basic("admin@example.com", "reference")}
    response = httpx.put(mock_server.url + WORKSPACES, headers=headers, content=doc["body"], timeout=10)

    assert response.status_code == 200
    body = response.json()
    assert set(body) == set(json.loads(doc["response"]))
    assert (body["Status"], body["WasSuccessful"], body["Errors"]) == (200, True, None)
    assert body["Message"] == "Workspace was successfully updated."
    assert body["Value"] == {"Id": 123}
    assert body["UpdatedBy"] == "admin@example.com"


def test_code_example_answers_exactly_the_documented_400(mock_server: MockProcess) -> None:
    doc = DOC_EXAMPLES["code_example"]
    url = doc["url"].replace(VENDOR_ORIGIN, mock_server.url)
    response = httpx.put(url, headers=doc["headers"], content=doc["body"], timeout=10)

    assert response.status_code == 400
    assert response.json() == json.loads(doc["response"])
    assert response.json()["Errors"][0]["PropertyName"] == "Name"


# ---- full replace -----------------------------------------------------------------------------------------------


def test_put_replaces_the_record_and_clears_omitted_fields(client: httpx.Client) -> None:
    full = {
        **REQUIRED,
        "VisibleInMySpaces": True,
        "VisibleByEveryone": True,
        "Archived": True,
        "Description": "Everything set",
    }
    assert client.put(WORKSPACES, json=full).status_code == 200
    assert {key: workspace(client)[key] for key in full} == full

    minimal = {"Id": 123, "BusinessId": 7, "AdministratorId": 8, "Name": "Only the required fields"}
    assert client.put(WORKSPACES, json=minimal).status_code == 200

    after = workspace(client)
    assert {key: after[key] for key in minimal} == minimal
    assert (after["VisibleInMySpaces"], after["VisibleByEveryone"], after["Archived"]) == (False, False, False)
    assert after["Description"] is None


def test_an_empty_description_is_no_description(client: httpx.Client) -> None:
    assert client.put(WORKSPACES, json={**REQUIRED, "Description": ""}).status_code == 200
    assert workspace(client)["Description"] is None


def test_a_record_read_with_get_can_be_sent_back_as_it_is(client: httpx.Client) -> None:
    record = workspace(client, 87654321)
    response = client.put(WORKSPACES, json={**record, "Name": "Renamed"})
    assert response.status_code == 200, response.text
    after = workspace(client, 87654321)
    assert after["Name"] == "Renamed"
    assert {k: v for k, v in after.items() if k not in ("Name", "UpdatedOn", "UpdatedBy")} == {
        k: v for k, v in record.items() if k not in ("Name", "UpdatedOn", "UpdatedBy")
    }


# ---- members ----------------------------------------------------------------------------------------------------


def test_members_replaces_the_list(client: httpx.Client) -> None:
    assert workspace(client)["Members"] == [1001, 1002]
    client.put(WORKSPACES, json={**REQUIRED, "Members": [2001, 2002, 2001]})
    assert workspace(client)["Members"] == [2001, 2002]
    client.put(WORKSPACES, json={**REQUIRED, "Members": []})
    assert workspace(client)["Members"] == []


def test_added_and_removed_members_change_the_list_item_by_item(client: httpx.Client) -> None:
    client.put(WORKSPACES, json={**REQUIRED, "AddedMembers": [1003, 1001]})
    assert workspace(client)["Members"] == [1001, 1002, 1003]
    client.put(WORKSPACES, json={**REQUIRED, "RemovedMembers": [1001, 9999]})
    assert workspace(client)["Members"] == [1002, 1003]
    client.put(WORKSPACES, json={**REQUIRED, "Members": [1], "AddedMembers": [2, 3], "RemovedMembers": [3]})
    assert workspace(client)["Members"] == [1, 2]


def test_a_put_without_member_fields_keeps_the_members(client: httpx.Client) -> None:
    client.put(WORKSPACES, json={**REQUIRED, "Members": [5, 6]})
    client.put(WORKSPACES, json=REQUIRED)
    assert workspace(client)["Members"] == [5, 6]


# ---- errors -----------------------------------------------------------------------------------------------------


def test_unknown_id_is_404_not_found_and_changes_nothing(client: httpx.Client) -> None:
    before = client.get("/__mock__/state").json()
    put = client.put(WORKSPACES, json={**REQUIRED, "Id": 404404})
    assert (put.status_code, put.json()) == (404, "Not found")
    for path in (f"{WORKSPACES}/404404", f"{WORKSPACES}/0", f"{WORKSPACES}/not-a-number"):
        got = client.get(path)
        assert (got.status_code, got.json()) == (404, "Not found"), path
    assert client.get("/__mock__/state").json() == before


def test_every_violation_is_listed_one_per_line(client: httpx.Client) -> None:
    before = client.get("/__mock__/state").json()
    body = {"Id": 123, "BusinessId": "one", "Name": "x" * 256, "Members": [1, -2], "Archived": "yes"}
    response = client.put(WORKSPACES, json=body)

    assert response.status_code == 400
    errors = response.json()["Errors"]
    assert sorted(e["PropertyName"] for e in errors) == [
        "AdministratorId",
        "Archived",
        "BusinessId",
        "Members[1]",
        "Name",
    ]
    assert response.json()["Message"].splitlines() == [f"{e['PropertyName']}: {e['Message']}" for e in errors]
    by_name = {e["PropertyName"]: e for e in errors}
    assert by_name["AdministratorId"] == {
        "AttemptedValue": None,
        "Message": "is a required field",
        "PropertyName": "AdministratorId",
    }
    assert by_name["Members[1]"]["AttemptedValue"] == -2
    assert len(by_name["Name"]["AttemptedValue"]) <= 80, "a long value is never echoed whole"
    assert (response.json()["Value"], response.json()["WasSuccessful"]) == (None, False)
    assert client.get("/__mock__/state").json() == before


def test_malformed_json_is_the_400_envelope(client: httpx.Client) -> None:
    response = client.put(WORKSPACES, content=b'{"Id": ', headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    body = response.json()
    assert (body["Value"], body["Errors"], body["WasSuccessful"]) == (None, [], False)
    assert body["Message"].startswith("the body is not valid JSON")


def test_basic_and_bearer_are_both_accepted_and_updated_by_names_the_user(mock_server: MockProcess) -> None:
    bearer = httpx.put(
        mock_server.url + WORKSPACES, json=REQUIRED, headers={"Authorization": "Bearer YOUR_TOKEN"}, timeout=10
    )
    email = httpx.put(
        mock_server.url + WORKSPACES,
        json=REQUIRED,
        headers={"Authorization": basic("admin@example.com", "s3cret")},
        timeout=10,
    )
    assert (bearer.status_code, email.status_code) == (200, 200)
    assert email.json()["UpdatedBy"] == "admin@example.com"
    assert bearer.json()["UpdatedBy"].startswith("token-")
    assert "YOUR_TOKEN" not in bearer.text and "s3cret" not in email.text


def test_prefer_forces_the_documented_throttling_answer_without_changing_state(client: httpx.Client) -> None:
    before = client.get("/__mock__/state").json()
    response = client.put(WORKSPACES, json={**REQUIRED, "Name": "Never stored"}, headers={"Prefer": "code=409"})
    assert (response.status_code, response.content, response.headers["Retry-After"]) == (409, b"", "1")
    assert client.get("/__mock__/state").json() == before


# ---- in-process: roles, the clock ------------------------------------------------------------------------------


@pytest.fixture
def auth_file(tmp_path: Path) -> Path:
    path = tmp_path / "auth.yaml"
    path.write_text(
        "editor-token: {tenant: acme, role: Workspace-Edit}\n"
        "viewer-token: {tenant: acme, role: 'Coworker-Edit, Workspace-Read'}\n"
        "admin-token: {tenant: acme, role: Administrator}\n"
        "unrestricted-token: {tenant: acme}\n"
        "editor@example.com:pw: {tenant: acme, role: Workspace-Edit}\n",
        encoding="utf-8",
    )
    return path


@pytest.fixture
def strict(auth_file: Path) -> Iterator[TestClient]:
    with TestClient(create_app(["nexudus"], validate_responses=True, auth_file=auth_file)) as http:
        yield http


@pytest.mark.parametrize("token", ["editor-token", "admin-token", "unrestricted-token"])
def test_with_an_auth_file_the_workspace_edit_role_or_an_administrator_may_update(
    strict: TestClient, token: str
) -> None:
    response = strict.put(WORKSPACES, json=REQUIRED, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.text


def test_with_an_auth_file_a_credential_without_workspace_edit_gets_401(strict: TestClient) -> None:
    viewer = {"Authorization": "Bearer viewer-token"}
    before = strict.get("/__mock__/state", headers=viewer).json()
    response = strict.put(WORKSPACES, json={**REQUIRED, "Name": "Not allowed"}, headers=viewer)
    assert (response.status_code, response.json()) == (401, DENIED)
    assert "WWW-Authenticate" in response.headers
    assert strict.get("/__mock__/state", headers=viewer).json() == before
    assert strict.get(f"{WORKSPACES}/123", headers=viewer).status_code == 200, "reading needs no role"


def test_with_an_auth_file_an_unknown_credential_gets_the_same_401(strict: TestClient) -> None:
    for headers in ({"Authorization": "Bearer not-listed"}, {"Authorization": basic("x@example.com", "pw")}):
        response = strict.put(WORKSPACES, json=REQUIRED, headers=headers)
        assert (response.status_code, response.json()) == (401, DENIED)


def test_updated_on_and_updated_by_come_from_the_clock_and_the_credential(
    strict: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    moment = datetime(2025, 1, 15, 10, 30, tzinfo=UTC)
    monkeypatch.setattr("mock_server.core.context.Context.now", staticmethod(lambda: moment))
    headers = {"Authorization": basic("editor@example.com", "pw")}
    response = strict.put(WORKSPACES, json=REQUIRED, headers=headers)
    expected = ("2025-01-15T10:30:00Z", "editor@example.com")
    assert (response.json()["UpdatedOn"], response.json()["UpdatedBy"]) == expected
    stored = strict.get(f"{WORKSPACES}/123", headers=headers).json()
    assert (stored["UpdatedOn"], stored["UpdatedBy"]) == expected
    assert stored["CreatedOn"] == "2024-06-01T09:00:00Z"


def test_the_bench_workload_answers_200_every_time_on_one_tenant(
    mock_server: MockProcess, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``make bench`` repeats its nexudus-put request on one tenant (wrk counts anything else as an error)."""
    loader = importlib.util.spec_from_file_location("bench_run", REPO / "bench/run.py")
    assert loader is not None and loader.loader is not None
    bench = importlib.util.module_from_spec(loader)
    monkeypatch.setitem(sys.modules, loader.name, bench)  # dataclasses look their module up while it loads
    loader.loader.exec_module(bench)
    (workload,) = [w for w in bench.WORKLOADS if w.name == "nexudus-put"]
    url = mock_server.url + bench.base_paths()[workload.api] + workload.path
    with httpx.Client(timeout=10) as http:
        statuses = {
            http.request(workload.method, url, headers=workload.headers, content=workload.body).status_code
            for _ in range(50)
        }
    assert statuses == {workload.expect} == {200}

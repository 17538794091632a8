"""COR behaviour of the mock, over real HTTP against ``make mock``."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from openapi_schema_validator import OAS30Validator

from .conftest import REPO, load_yaml
from .roundtrip import json_types
from .server import MockProcess

BASE = "/v2/integrations"
DOC_EXAMPLES = load_yaml(REPO / "contract_tests/vendor_examples/cor.yaml")
VENDOR_ORIGIN = "https://integrations.projectcor.com"

WORKSPACE = f"{BASE}/workspaces/TEAMS-WS-12345"
USER = f"{BASE}/users/OKTA-USER-12345"
ATTACH = f"{BASE}/users/OKTA-USER-12345/attach"
TEAMS = {"source": "MICROSOFT_TEAMS"}
OKTA = {"source": "OKTA"}
DYNAMICS = {"source": "MICROSOFT_DYNAMICS"}


def leaves(value: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(value, dict):
        return {k: v for key, item in value.items() for k, v in leaves(item, f"{prefix}{key}.").items()}
    return {prefix.rstrip("."): value}


@pytest.mark.parametrize("operation", sorted(DOC_EXAMPLES))
def test_doc_curl_succeeds_verbatim(mock_server: MockProcess, operation: str) -> None:
    example = DOC_EXAMPLES[operation]
    url = example["url"].replace(VENDOR_ORIGIN, mock_server.url)
    response = httpx.request(example["method"], url, headers=example["headers"], content=example["body"], timeout=10)

    assert response.status_code == 200, response.text
    documented = json.loads(example["response"])
    assert json_types(response.json()) == json_types(documented)
    sent = json.loads(example["body"])
    if operation == "attach_user_workspaces":
        pivots = {
            w["json_integrations"]["origin_external_id"]: w["pivot"]["percentage"]
            for w in response.json()["workspaces"]
        }
        assert pivots == {w["workspaceId"]: w["percentage"] for w in sent["workspaces"]}
    else:
        echoed = {k: v for k, v in sent.items() if k in response.json()}
        assert echoed, "the doc example echoes at least one field"
        assert {k: response.json()[k] for k in echoed} == echoed


def test_attach_doc_response_matches_docs_except_nothing(mock_server: MockProcess) -> None:
    """On a fresh tenant the attach example answers exactly the documented body."""
    example = DOC_EXAMPLES["attach_user_workspaces"]
    url = example["url"].replace(VENDOR_ORIGIN, mock_server.url)
    headers = {**example["headers"], "Authorization": "Bearer attach-verbatim-check"}
    response = httpx.put(url, headers=headers, content=example["body"], timeout=10)
    assert response.json() == json.loads(example["response"])


def test_partial_update_keeps_unsent_fields(client: httpx.Client) -> None:
    first = client.put(WORKSPACE, json={"metadata": TEAMS, "description": "Only the description changes"})
    assert first.status_code == 200
    second = client.put(WORKSPACE, json={"metadata": TEAMS, "name": "Renamed"})
    assert second.json()["description"] == "Only the description changes"
    assert second.json()["name"] == "Renamed"
    assert second.json()["active"] is True

    user = client.put(USER, json={"metadata": OKTA, "daily_hours": 4}).json()
    assert user["daily_hours"] == 4
    assert user["role_id"] == 2 and user["phone"] == "+1 555-0100"


def test_updated_at_moves_and_created_at_does_not(client: httpx.Client) -> None:
    before = client.get("/__mock__/state").json()["cor"]["workspaces"]["MICROSOFT_TEAMS"]["TEAMS-WS-12345"]
    after = client.put(WORKSPACE, json={"metadata": TEAMS, "name": "Later"}).json()
    assert after["created_at"] == before["created_at"]
    assert after["updated_at"] > before["updated_at"]


def test_active_false_deactivates_the_workspace(client: httpx.Client) -> None:
    response = client.put(WORKSPACE, json={"metadata": TEAMS, "active": False})
    assert response.json()["active"] is False
    state = client.get("/__mock__/state").json()
    assert state["cor"]["workspaces"]["MICROSOFT_TEAMS"]["TEAMS-WS-12345"]["active"] is False


def test_write_is_visible_in_next_response_and_in_state(client: httpx.Client) -> None:
    client.put(USER, json={"metadata": OKTA, "first_name": "Johnny", "position": "Architect"})
    response = client.put(USER, json={"metadata": OKTA, "last_name": "Dough"})
    assert (response.json()["first_name"], response.json()["last_name"]) == ("Johnny", "Dough")
    stored = client.get("/__mock__/state").json()["cor"]["users"]["OKTA"]["OKTA-USER-12345"]
    assert (stored["first_name"], stored["last_name"], stored["position"]) == ("Johnny", "Dough", "Architect")


def test_reset_restores_the_fixtures(client: httpx.Client) -> None:
    pristine = client.get("/__mock__/state").json()
    client.put(USER, json={"metadata": OKTA, "role_id": 5})
    client.put(
        ATTACH, json={"metadata": DYNAMICS, "workspaces": [{"workspaceId": "Workspaces-example-5", "percentage": 50}]}
    )
    assert client.get("/__mock__/state").json() != pristine
    assert client.post("/__mock__/reset").json() == {"reset": "tenant"}
    assert client.get("/__mock__/state").json() == pristine


def _operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, op)
        for path, item in spec["paths"].items()
        for method, op in item.items()
        if method != "parameters"
    ]


DOC_BODIES = {name: json.loads(example["body"]) for name, example in DOC_EXAMPLES.items()}
DOC_PATHS = {name: example["url"].removeprefix(VENDOR_ORIGIN) for name, example in DOC_EXAMPLES.items()}


def test_prefer_code_returns_every_documented_status_and_changes_nothing(
    client: httpx.Client, resolved_cor_spec: dict[str, Any]
) -> None:
    before = client.get("/__mock__/state").json()
    seen = []
    for _, _, operation in _operations(resolved_cor_spec):
        name = operation["operationId"]
        for status, documented in operation["responses"].items():
            response = client.put(DOC_PATHS[name], json=DOC_BODIES[name], headers={"Prefer": f"code={status}"})
            assert response.status_code == int(status), (name, status, response.text)
            schema = documented["content"]["application/json"]["schema"]
            OAS30Validator(schema).validate(response.json())
            for header, spec in documented.get("headers", {}).items():
                if spec.get("required"):
                    assert header in response.headers, (name, status, header)
            seen.append((name, status))
    assert len(seen) >= 3 * 6
    assert client.get("/__mock__/state").json() == before


def test_prefer_example_picks_a_named_example(client: httpx.Client) -> None:
    response = client.put(USER, json={"metadata": OKTA}, headers={"Prefer": "example=SeniorityNotFoundError"})
    assert response.status_code == 404
    assert response.json()["name"] == "SeniorityNotFoundError"


def test_prefer_undocumented_code_is_400_listing_documented_codes(client: httpx.Client) -> None:
    response = client.put(USER, json={"metadata": OKTA}, headers={"Prefer": "code=418"})
    assert response.status_code == 400
    assert "200, 400, 401, 404" in response.json()["message"]


@pytest.mark.parametrize(
    ("path", "body", "name"),
    [
        (f"{BASE}/workspaces/NOPE", {"metadata": TEAMS}, "WorkspaceNotFoundError"),
        (f"{BASE}/workspaces/TEAMS-WS-12345", {"metadata": OKTA}, "WorkspaceNotFoundError"),
        (f"{BASE}/users/NOPE", {"metadata": OKTA}, "UserNotFoundError"),
        (USER, {"metadata": OKTA, "user_position_id": "nope"}, "UserPositionNotFoundError"),
        (USER, {"metadata": OKTA, "seniority_id": "nope"}, "SeniorityNotFoundError"),
        (USER, {"metadata": {"source": "JIRA"}}, "UserNotFoundError"),
        (
            ATTACH,
            {"metadata": DYNAMICS, "workspaces": [{"workspaceId": "nope", "percentage": 1}]},
            "WorkspaceNotFoundError",
        ),
    ],
    ids=[
        "workspace",
        "workspace-other-source",
        "user",
        "position",
        "seniority",
        "user-other-source",
        "attached-workspace",
    ],
)
def test_unknown_external_id_is_404_zc001(client: httpx.Client, path: str, body: dict[str, Any], name: str) -> None:
    before = client.get("/__mock__/state").json()
    response = client.put(path, json=body)
    assert response.status_code == 404
    assert response.json()["code"] == "ZC001"
    assert response.json()["name"] == name
    assert client.get("/__mock__/state").json() == before


def test_missing_source_is_400_validation_error_naming_the_field(client: httpx.Client) -> None:
    response = client.put(WORKSPACE, json={"metadata": {}, "name": "x"})
    assert response.status_code == 400
    assert response.json()["name"] == "ValidationError"
    assert response.json()["errors"] == [
        {"field": "metadata.source", "message": "Missing required metadata.source field"}
    ]


def test_source_outside_the_enum_is_400_validation_error(client: httpx.Client) -> None:
    response = client.put(WORKSPACE, json={"metadata": {"source": "MYSPACE"}})
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["metadata.source"]


def test_every_violation_is_listed(client: httpx.Client) -> None:
    response = client.put(USER, json={"metadata": {}, "daily_hours": 99, "nickname": "JD"})
    assert response.status_code == 400
    fields = sorted(e["field"] for e in response.json()["errors"])
    assert fields == ["daily_hours", "metadata.source", "nickname"]


def test_role_outside_cors_roles_is_invalid_role_error(client: httpx.Client) -> None:
    before = client.get("/__mock__/state").json()
    response = client.put(USER, json={"metadata": OKTA, "role_id": 7})
    assert response.status_code == 400
    assert response.json()["name"] == "InvalidRoleError"
    assert client.get("/__mock__/state").json() == before


def test_attach_is_all_or_nothing(client: httpx.Client) -> None:
    before = client.get("/__mock__/state").json()
    body = {
        "metadata": DYNAMICS,
        "workspaces": [
            {"workspaceId": "Workspaces-example-5", "percentage": 10},
            {"workspaceId": "Workspaces-example-404", "percentage": 20},
        ],
    }
    assert client.put(ATTACH, json=body).status_code == 404
    assert client.get("/__mock__/state").json() == before


def test_reattaching_updates_the_percentage_and_lists_every_workspace(client: httpx.Client) -> None:
    five = {"workspaceId": "Workspaces-example-5", "percentage": 10}
    six = {"workspaceId": "Workspaces-example-6", "percentage": 20}
    client.put(ATTACH, json={"metadata": DYNAMICS, "workspaces": [five]})
    response = client.put(ATTACH, json={"metadata": DYNAMICS, "workspaces": [six, {**five, "percentage": 70}]})
    pivots = [
        (w["json_integrations"]["origin_external_id"], w["pivot"]["percentage"]) for w in response.json()["workspaces"]
    ]
    assert pivots == [("Workspaces-example-5", 70), ("Workspaces-example-6", 20)]

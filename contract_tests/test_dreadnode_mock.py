"""Dreadnode behaviour of the mock, over real HTTP against ``make mock`` (routing also in-process)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from openapi_schema_validator import OAS30Validator, oas30_format_checker

from .conftest import REPO, SPEC_DIR, load_yaml
from .roundtrip import json_types, operations
from .server import MockProcess
from .spec_tools import dereference

BASE = "/api/v1"
DOC = load_yaml(REPO / "contract_tests/vendor_examples/dreadnode.yaml")["update_workspace"]
VENDOR_ORIGIN = "https://example.com"
SPEC = dereference(load_yaml(SPEC_DIR / "dreadnode.yaml"))
OPERATIONS = operations(SPEC)

WORKSPACE = f"{BASE}/org/example/ws/example"
RESEARCH = f"{BASE}/org/example/ws/research"


def workspace_url(key: str, org: str = "example") -> str:
    return f"{BASE}/org/{org}/ws/{key}"


def stored(client: httpx.Client) -> dict[str, Any]:
    """The caller's Dreadnode state: organization slug → organization, its workspaces by key."""
    organizations: dict[str, Any] = client.get("/__mock__/state").json()["dreadnode"]["organizations"]
    return organizations


def validate(schema: dict[str, Any], instance: Any) -> None:
    OAS30Validator(schema, format_checker=oas30_format_checker).validate(instance)


def response_schema(operation_id: str, status: int) -> dict[str, Any]:
    _, _, operation = OPERATIONS[operation_id]
    schema: dict[str, Any] = operation["responses"][str(status)]["content"]["application/json"]["schema"]
    return schema


def assert_error(response: httpx.Response, status: int, error_type: str, operation_id: str = "update_workspace") -> Any:
    """A Dreadnode error: the status, the canonical envelope with that code and type, valid against the spec."""
    assert response.status_code == status, response.text
    body = response.json()
    validate(response_schema(operation_id, status), body)
    assert (body["code"], body["type"]) == (status, error_type), body
    return body


# -- the docs' request -----------------------------------------------------------------------------------------


def test_doc_request_succeeds_verbatim_with_every_documented_key_and_type(mock_server: MockProcess) -> None:
    url = DOC["url"].replace(VENDOR_ORIGIN, mock_server.url)
    response = httpx.request(DOC["method"], url, headers=DOC["headers"], content=DOC["body"], timeout=10)

    assert response.status_code == 200, response.text
    documented = json.loads(DOC["response"])
    assert json_types(response.json()) == json_types(documented)
    assert list(response.json()) == list(documented), "every documented key, in the docs' order"
    sent = json.loads(DOC["body"])
    assert {key: response.json()[key] for key in sent} == sent


def test_doc_request_on_a_fresh_tenant_answers_the_docs_response_but_updated_at(mock_server: MockProcess) -> None:
    url = DOC["url"].replace(VENDOR_ORIGIN, mock_server.url)
    headers = {**DOC["headers"], "Authorization": "Bearer dreadnode-doc-verbatim"}
    httpx.post(mock_server.url + "/__mock__/reset", headers=headers)
    response = httpx.put(url, headers=headers, content=DOC["body"], timeout=10)

    documented = json.loads(DOC["response"])
    assert {**response.json(), "updated_at": None} == {**documented, "updated_at": None}
    assert response.json()["updated_at"] > documented["updated_at"]


def test_doc_error_example_is_what_the_mock_answers_without_credentials(mock_server: MockProcess) -> None:
    url = DOC["url"].replace(VENDOR_ORIGIN, mock_server.url)
    headers = {k: v for k, v in DOC["headers"].items() if k != "Authorization"}
    response = httpx.put(url, headers=headers, content=DOC["body"], timeout=10)
    assert response.status_code == 401
    assert response.json() == json.loads(DOC["error"])


def test_spec_documents_each_error_status_of_the_docs_with_the_canonical_envelope() -> None:
    _, _, operation = OPERATIONS["update_workspace"]
    for status in DOC["error_statuses"]:
        response = operation["responses"][str(status)]
        schema = response["content"]["application/json"]["schema"]
        assert set(schema["required"]) == {"code", "detail", "type"}, status
        for example in response["content"]["application/json"]["examples"].values():
            assert example["value"]["code"] == status


# -- partial update, rename, conflicts ----------------------------------------------------------------------------


def test_partial_update_keeps_unsent_fields(client: httpx.Client) -> None:
    first = client.put(WORKSPACE, json={"description": "Only the description changes"})
    assert first.status_code == 200
    second = client.put(WORKSPACE, json={"name": "Renamed"}).json()
    assert (second["name"], second["description"]) == ("Renamed", "Only the description changes")
    assert (second["is_active"], second["key"]) == (True, "example")


def test_empty_body_changes_nothing_but_updated_at(client: httpx.Client) -> None:
    before = client.get(WORKSPACE).json()
    after = client.put(WORKSPACE, json={}).json()
    assert {**after, "updated_at": None} == {**before, "updated_at": None}
    assert after["updated_at"] > before["updated_at"]


def test_updated_at_moves_and_created_at_does_not(client: httpx.Client) -> None:
    before = stored(client)["example"]["workspaces"]["example"]
    first = client.put(WORKSPACE, json={"name": "Later"}).json()
    second = client.put(WORKSPACE, json={"name": "Later still"}).json()
    assert first["created_at"] == second["created_at"] == before["created_at"]
    assert before["updated_at"] < first["updated_at"] < second["updated_at"]


def test_description_null_clears_it_and_is_active_false_deactivates(client: httpx.Client) -> None:
    response = client.put(WORKSPACE, json={"description": None, "is_active": False})
    assert response.status_code == 200
    assert (response.json()["description"], response.json()["is_active"]) == (None, False)
    assert client.get(WORKSPACE).json()["description"] is None


def test_key_rename_moves_the_workspace_to_its_new_path(client: httpx.Client) -> None:
    original = client.get(WORKSPACE).json()
    renamed = client.put(WORKSPACE, json={"key": "red-team", "name": "Red team"})
    assert renamed.status_code == 200
    assert (renamed.json()["key"], renamed.json()["id"]) == ("red-team", original["id"])

    assert_error(client.get(WORKSPACE), 404, "not_found_error", "get_workspace")
    assert_error(client.put(WORKSPACE, json={"name": "At the old key"}), 404, "not_found_error")
    moved = client.get(workspace_url("red-team"))
    assert moved.status_code == 200
    assert moved.json() == renamed.json()
    assert client.put(workspace_url("red-team"), json={"description": "At the new key"}).status_code == 200
    assert set(stored(client)["example"]["workspaces"]) == {"red-team", "research"}


def test_the_put_link_reads_the_workspace_back_at_its_new_key(client: httpx.Client) -> None:
    """The spec's ``GetWorkspace`` link, evaluated as written, finds the workspace after a rename."""
    _, _, operation = OPERATIONS["update_workspace"]
    link = operation["responses"]["200"]["links"]["GetWorkspace"]
    request_path = {"org": "example", "workspace": "example"}
    response = client.put(workspace_url(request_path["workspace"], request_path["org"]), json={"key": "linked"})

    def evaluate(expression: str) -> str:
        if expression.startswith("$request.path."):
            return request_path[expression.removeprefix("$request.path.")]
        assert expression.startswith("$response.body#/"), expression
        return str(response.json()[expression.removeprefix("$response.body#/")])

    arguments = {name: evaluate(expression) for name, expression in link["parameters"].items()}
    path, method, _ = OPERATIONS[link["operationId"]]
    followed = client.request(method, BASE + path.format(**arguments))
    assert followed.status_code == 200
    assert followed.json() == response.json()


def test_renaming_to_its_own_key_is_no_conflict(client: httpx.Client) -> None:
    response = client.put(WORKSPACE, json={"key": "example", "name": "Same key"})
    assert response.status_code == 200
    assert response.json()["key"] == "example"


def test_a_key_taken_in_the_organization_is_409_naming_the_key_and_changes_nothing(client: httpx.Client) -> None:
    before = stored(client)
    body = assert_error(client.put(WORKSPACE, json={"key": "research", "name": "Never applied"}), 409, "conflict_error")
    assert "'research'" in body["detail"]
    assert stored(client) == before


def test_keys_are_unique_within_an_organization_not_across_them(client: httpx.Client) -> None:
    state = client.get("/__mock__/state").json()
    other = json.loads(json.dumps(state["dreadnode"]["organizations"]["example"]))
    other["id"] = "7d0c5a4e-1b2f-4c3d-8e9a-0f1e2d3c4b5a"
    other["name"] = "Other org"
    other["workspaces"] = {
        "elsewhere": {**other["workspaces"]["research"], "id": "11111111-2222-4333-8444-555555555555"}
    }
    state["dreadnode"]["organizations"]["other"] = other
    assert client.put("/__mock__/state", json=state).status_code == 200

    response = client.put(workspace_url("elsewhere", "other"), json={"key": "example"})
    assert response.status_code == 200
    assert (response.json()["key"], response.json()["org_name"]) == ("example", "Other org")
    assert client.get(WORKSPACE).json()["org_name"] == "example"


# -- not found, validation, unreadable requests -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "named"),
    [
        (workspace_url("example", "no-such-org"), "Organization 'no-such-org'"),
        (workspace_url("nope"), "Workspace 'nope'"),
    ],
    ids=["unknown-org", "unknown-workspace"],
)
def test_unknown_org_or_workspace_is_404_and_changes_nothing(client: httpx.Client, path: str, named: str) -> None:
    before = stored(client)
    body = assert_error(client.put(path, json={"name": "Never applied"}), 404, "not_found_error")
    assert body["detail"].startswith(named)
    assert named in assert_error(client.get(path), 404, "not_found_error", "get_workspace")["detail"]
    assert stored(client) == before


def test_422_lists_every_violation_with_fastapi_locations(client: httpx.Client) -> None:
    before = stored(client)
    body = {"name": "", "key": "Not A Slug", "description": 5, "is_active": "yes", "colour": "red"}
    error = assert_error(client.put(WORKSPACE, json=body), 422, "validation_error")
    assert error["detail"] == "Validation error"
    assert sorted((e["loc"], e["type"]) for e in error["errors"]) == [
        (["body", "colour"], "extra_forbidden"),
        (["body", "description"], "string_type"),
        (["body", "is_active"], "bool_type"),
        (["body", "key"], "string_pattern_mismatch"),
        (["body", "name"], "string_too_short"),
    ]
    assert all(e["msg"] for e in error["errors"])
    assert stored(client) == before


@pytest.mark.parametrize("field", ["name", "key", "is_active"])
def test_null_is_refused_where_a_workspace_always_has_a_value(client: httpx.Client, field: str) -> None:
    error = assert_error(client.put(WORKSPACE, json={field: None}), 422, "validation_error")
    assert [e["loc"] for e in error["errors"]] == [["body", field]]


def test_a_missing_body_is_422_body_field_required(client: httpx.Client) -> None:
    error = assert_error(client.put(WORKSPACE, headers={"Content-Type": "application/json"}), 422, "validation_error")
    assert error["errors"] == [{"loc": ["body"], "msg": "Field required", "type": "missing"}]


@pytest.mark.parametrize(
    "content", [b'{"name": ', b"[]", b'"example"', b"null"], ids=["malformed", "array", "string", "null"]
)
def test_a_body_that_is_not_a_json_object_is_400(client: httpx.Client, content: bytes) -> None:
    before = stored(client)
    response = client.put(WORKSPACE, content=content, headers={"Content-Type": "application/json"})
    assert_error(response, 400, "invalid_request_error")
    assert stored(client) == before


def test_a_path_segment_that_is_not_a_slug_is_400_naming_it(client: httpx.Client) -> None:
    body = assert_error(client.get(workspace_url("Not_A_Slug")), 400, "invalid_request_error", "get_workspace")
    assert body["detail"].startswith("Path parameter workspace is not a slug")


# -- credentials and roles ----------------------------------------------------------------------------------------


def test_an_api_key_works_like_a_bearer_token_for_the_same_tenant(mock_server: MockProcess, token: str) -> None:
    by_key = httpx.put(mock_server.url + WORKSPACE, json={"name": "Via API key"}, headers={"X-API-Key": token})
    assert by_key.status_code == 200
    by_bearer = httpx.get(mock_server.url + WORKSPACE, headers={"Authorization": f"Bearer {token}"})
    assert by_bearer.json()["name"] == "Via API key"


AUTH_FILE = """
owner-credential: {tenant: acme, role: Owner}
reader-credential: {tenant: acme, role: Reader}
"""


@pytest.fixture(scope="module")
def strict_mock(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MockProcess]:
    """A mock with ``--auth-file``: only the listed credentials, with their roles."""
    auth_file: Path = tmp_path_factory.mktemp("auth") / "auth.yaml"
    auth_file.write_text(AUTH_FILE, encoding="utf-8")
    server = MockProcess(["--validate-responses", "--api", "dreadnode", "--auth-file", str(auth_file)])
    yield server
    server.stop()


def test_a_reader_gets_403_on_the_put_but_may_get(strict_mock: MockProcess) -> None:
    reader = {"Authorization": "Bearer reader-credential"}
    url = strict_mock.url + WORKSPACE
    before = httpx.get(url, headers=reader)
    assert before.status_code == 200

    refused = httpx.put(url, json={"name": "Never applied"}, headers=reader)
    body = assert_error(refused, 403, "permission_error")
    assert "Reader" in body["detail"]
    assert httpx.put(url, json={}, headers={"X-API-Key": "reader-credential"}).status_code == 403
    assert httpx.get(url, headers=reader).json() == before.json()


def test_an_owner_may_update_and_an_unknown_credential_is_401_with_an_auth_file(strict_mock: MockProcess) -> None:
    url = strict_mock.url + WORKSPACE
    updated = httpx.put(url, json={"name": "By the owner"}, headers={"Authorization": "Bearer owner-credential"})
    assert updated.status_code == 200
    assert httpx.get(url, headers={"Authorization": "Bearer reader-credential"}).json()["name"] == "By the owner"
    assert_error(httpx.put(url, json={}, headers={"Authorization": "Bearer stranger"}), 401, "authentication_error")


# -- forced responses, routing, isolation ------------------------------------------------------------------------


def documented_types() -> dict[int, str]:
    """Status → the ``type`` the spec's examples give it (one per status)."""
    types: dict[int, set[str]] = {}
    for _, _, operation in OPERATIONS.values():
        for status, response in operation["responses"].items():
            for example in response["content"]["application/json"]["examples"].values():
                if "type" in example["value"] and "code" in example["value"]:
                    types.setdefault(int(status), set()).add(example["value"]["type"])
    assert all(len(names) == 1 for names in types.values()), types
    return {status: names.pop() for status, names in types.items()}


def test_prefer_code_returns_every_documented_status_with_a_stable_type_and_changes_nothing(
    client: httpx.Client,
) -> None:
    before = stored(client)
    types = documented_types()
    seen = []
    for operation_id, (path, method, operation) in OPERATIONS.items():
        for status, documented in operation["responses"].items():
            response = client.request(
                method, BASE + path.format(org="example", workspace="example"), json={} if method == "put" else None,
                headers={"Prefer": f"code={status}"},
            )  # fmt: skip
            assert response.status_code == int(status), (operation_id, status, response.text)
            validate(documented["content"]["application/json"]["schema"], response.json())
            if int(status) >= 400:
                assert response.json()["type"] == types[int(status)], (operation_id, status)
            for header, spec in documented.get("headers", {}).items():
                if spec.get("required"):
                    assert header in response.headers, (operation_id, status, header)
            seen.append((operation_id, int(status)))
    assert {status for _, status in seen} >= set(DOC["error_statuses"]) | {200, 413, 415}
    assert stored(client) == before


def test_every_error_the_mock_renders_has_the_type_its_status_documents(
    mock_server: MockProcess, client: httpx.Client
) -> None:
    """What the mock itself answers, not only forced examples: each status keeps its one documented type."""
    types = documented_types()
    answers = [
        client.put(WORKSPACE, content=b"{", headers={"Content-Type": "application/json"}),
        httpx.put(mock_server.url + WORKSPACE, json={}),
        client.put(workspace_url("nope"), json={}),
        client.put(WORKSPACE, json={"key": "research"}),
        client.put(WORKSPACE, content=b"{}", headers={"Content-Type": "text/plain"}),
        client.put(WORKSPACE, json={"name": ""}),
    ]
    assert [r.status_code for r in answers] == [400, 401, 404, 409, 415, 422]
    for response in answers:
        assert response.json()["type"] == types[response.status_code], response.text


def test_paths_under_api_v1_are_dreadnodes_whatever_else_is_served_under_api(client: httpx.Client) -> None:
    """Nexudus is served at /api, a prefix of /api/v1: an unknown /api/v1 route is still Dreadnode's 404."""
    response = client.get(f"{BASE}/no/such/route")
    body = assert_error(response, 404, "not_found_error", "get_workspace")
    assert set(body) == {"code", "detail", "type"}


SHADOW_SPEC = """
openapi: 3.0.3
info: {title: An API served at a prefix of Dreadnode's base path, version: '1'}
servers: [{url: 'https://shadow.example/api'}]
paths:
  /things:
    get:
      operationId: get_workspace
      responses: {'200': {description: never called}}
"""


@pytest.mark.parametrize("shorter_first", [True, False], ids=["prefix-registered-first", "prefix-registered-last"])
def test_routing_sends_api_v1_to_dreadnode_whatever_the_registration_order(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, shorter_first: bool
) -> None:
    """Every API served at a prefix of /api/v1 (Nexudus at /api; a stand-in when none is registered) loses to it."""
    from starlette.testclient import TestClient

    from mock_server import app as mock_app
    from mock_server.core.vendor import Vendor

    vendors = dict(mock_app.VENDORS)
    dreadnode = vendors["dreadnode"]
    prefixes = [n for n, v in vendors.items() if dreadnode.base_path.startswith(v.base_path + "/")]
    if not prefixes:
        (tmp_path / "shadow.yaml").write_text(SHADOW_SPEC, encoding="utf-8")
        vendors["shadow"] = Vendor(
            name="shadow",
            spec_file=str(tmp_path / "shadow.yaml"),
            handlers="mock_server.dreadnode.handlers",
            render_error=lambda error: (error.status, {"shadow": error.status}, {}),
        )
        monkeypatch.setattr(mock_app, "VENDORS", vendors)
        prefixes = ["shadow"]
    order = [*prefixes, "dreadnode"] if shorter_first else ["dreadnode", *prefixes]
    headers = {"Authorization": "Bearer routing"}
    with TestClient(mock_app.create_app(order, validate_responses=True), raise_server_exceptions=False) as http:
        assert http.put(WORKSPACE, json={"name": "Routed"}, headers=headers).json()["name"] == "Routed"
        unknown = http.get(f"{BASE}/no/such/route", headers=headers)
        assert (unknown.status_code, unknown.json()["type"]) == (404, "not_found_error")
        for name in prefixes:
            other = http.get(vendors[name].base_path + "/no/such/route", headers=headers)
            assert other.status_code == 404
            assert not (isinstance(other.json(), dict) and other.json().get("type") == "not_found_error"), name


def test_the_bench_workload_answers_200_every_time_on_one_tenant(
    mock_server: MockProcess, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``make bench`` repeats its dreadnode-put request on one tenant (wrk counts anything else as an error)."""
    import importlib.util
    import sys

    loaded = importlib.util.spec_from_file_location("bench_run", REPO / "bench/run.py")
    assert loaded is not None and loaded.loader is not None
    bench = importlib.util.module_from_spec(loaded)
    monkeypatch.setitem(sys.modules, loaded.name, bench)  # its dataclasses look their module up there
    loaded.loader.exec_module(bench)
    (workload,) = [w for w in bench.WORKLOADS if w.name == "dreadnode-put"]
    headers = {**workload.headers, "Authorization": "Bearer dreadnode-bench-replay"}
    url = mock_server.url + BASE + workload.path
    with httpx.Client(timeout=10) as http:
        statuses = [
            http.request(workload.method, url, content=workload.body, headers=headers).status_code for _ in range(5)
        ]
    assert statuses == [workload.expect] * 5 == [200] * 5


FIXTURE_WORKSPACE = (
    "{id: %s, name: W, description: null, is_active: true, is_default: %s, created_by: null, project_count: 0,"
    " created_at: '2026-01-01T00:00:00Z', updated_at: '2026-01-01T00:00:00Z'}"
)


@pytest.mark.parametrize(
    ("workspaces", "entry", "problem"),
    [
        (
            {"Bad_Key": FIXTURE_WORKSPACE % ("6f1c2b7e-4d3a-4e8f-9b21-5a7c0d9e3f42", "false")},
            "dreadnode.organizations.acme.workspaces",
            "has a key 'Bad_Key' that must match the pattern",
        ),
        (
            {
                "one": FIXTURE_WORKSPACE % ("6f1c2b7e-4d3a-4e8f-9b21-5a7c0d9e3f42", "true"),
                "two": FIXTURE_WORKSPACE % ("7f1c2b7e-4d3a-4e8f-9b21-5a7c0d9e3f42", "true"),
            },
            "dreadnode.organizations.acme.workspaces",
            "more than one default workspace",
        ),
        (
            {
                "one": FIXTURE_WORKSPACE % ("6f1c2b7e-4d3a-4e8f-9b21-5a7c0d9e3f42", "false"),
                "two": FIXTURE_WORKSPACE % ("6F1C2B7E-4D3A-4E8F-9B21-5A7C0D9E3F42", "false"),
            },
            "dreadnode.organizations.acme.workspaces.two.id",
            "is also the id of acme/one",
        ),
    ],
    ids=["key-not-a-slug", "two-defaults", "duplicate-id"],
)
def test_bad_dreadnode_fixtures_stop_start_up_with_status_2(
    tmp_path: Path, workspaces: dict[str, str], entry: str, problem: str
) -> None:
    import subprocess

    listed = ", ".join(f"{key}: {workspace}" for key, workspace in workspaces.items())
    fixtures = tmp_path / "fixtures.yaml"
    fixtures.write_text(
        "dreadnode: {organizations: {acme: {id: 2489e9ad-2ee2-8e00-8ec9-32d5f69181c0, name: Acme,"
        f" workspaces: {{{listed}}}}}}}}}\n",
        encoding="utf-8",
    )
    command = [str(REPO / ".venv/bin/python"), "-m", "mock_server", "--port", "0", "--fixtures", str(fixtures)]
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=30, check=False)
    assert result.returncode == 2, result.stderr
    message = result.stderr.strip().splitlines()[-1]
    assert str(fixtures) in message and f"{entry}: " in message and problem in message, message

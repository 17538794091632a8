"""The generated Nexudus client against the mock: every operation, every documented status, typed.

What can be provoked is provoked for real over HTTP (the docs' reference request for 200, a body or Id breaking the
schema for 400, no credentials for 401, an unknown Id for 404, a body over 1 MiB for 413), and throttling (409)
through an in-process mock run with rate limits on a clock the test holds still. Every documented response example,
of every status, is also forced with ``Prefer: code=NNN, example=NAME`` and must parse into its model and serialise
back to the same JSON; 409 has no body, so it is forced by code and must parse as nothing, with ``Retry-After``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from nexudus_client import AuthenticatedClient, Client
from nexudus_client.api.workspaces import get_workspace, update_workspace
from nexudus_client.models import (
    AuthorizationDenied,
    ErrorResult,
    NotFound,
    UpdateResult,
    UpdateWorkspaceRequest,
    Workspace,
)
from nexudus_client.types import Response
from starlette.testclient import TestClient

from mock_server.app import create_app

from .conftest import SPEC_DIR, load_yaml
from .roundtrip import documented_statuses, instants, named_examples, operations
from .server import MockProcess
from .spec_tools import dereference

RAW_SPEC = load_yaml(SPEC_DIR / "nexudus.yaml")
SPEC = dereference(RAW_SPEC)
BASE_PATH = "/api"
TIMEOUT = httpx.Timeout(10.0)
MIB = 1024 * 1024

OPERATIONS = operations(SPEC)
DOCUMENTED = documented_statuses(SPEC)
EXAMPLES = named_examples(SPEC)

AnyClient = AuthenticatedClient | Client
#: operationId → how the client sends it, given the workspace Id and (for the update) the body's other fields.
Send = Callable[[AnyClient, int, UpdateWorkspaceRequest], Response[Any]]
SEND: dict[str, Send] = {
    "update_workspace": lambda client, id, body: update_workspace.sync_detailed(client=client, body=with_id(body, id)),
    "get_workspace": lambda client, id, body: get_workspace.sync_detailed(id, client=client),
}
SUCCESS_MODEL: dict[str, type] = {"update_workspace": UpdateResult, "get_workspace": Workspace}
ERROR_MODEL: dict[int, type] = {
    400: ErrorResult,
    401: AuthorizationDenied,
    404: NotFound,
    409: type(None),
    413: ErrorResult,
    415: ErrorResult,
    431: ErrorResult,
    500: ErrorResult,
}
DOC_ID = 123  # the reference request's workspace


def with_id(body: UpdateWorkspaceRequest, id: int) -> UpdateWorkspaceRequest:
    body.id = id
    return body


def doc_body() -> UpdateWorkspaceRequest:
    """The reference request of the docs, as the client's request model."""
    _, _, operation = OPERATIONS["update_workspace"]
    return UpdateWorkspaceRequest.from_dict(
        operation["requestBody"]["content"]["application/json"]["examples"]["reference_request"]["value"]
    )


def expected_model(op: str, status: int) -> type:
    return SUCCESS_MODEL[op] if status == 200 else ERROR_MODEL[status]


def make_client(base_url: str, token: str, headers: dict[str, str] | None = None) -> AuthenticatedClient:
    return AuthenticatedClient(
        base_url=base_url + BASE_PATH,
        token=token,
        headers=headers or {},
        timeout=TIMEOUT,
        raise_on_unexpected_status=True,
    )


@pytest.fixture
def nexudus(mock_server: MockProcess, token: str) -> Iterator[AuthenticatedClient]:
    with make_client(mock_server.url, token) as client:
        yield client


def assert_parsed(response: Response[Any], op: str, status: int) -> Any:
    assert response.status_code == status, response.content[:500]
    assert isinstance(response.parsed, expected_model(op, status)), response.parsed
    return response.parsed


def schema_name(response: dict[str, Any]) -> str | None:
    """The component schema a (not dereferenced) response points at, through a shared response if need be."""
    if "$ref" in response:
        response = RAW_SPEC["components"]["responses"][response["$ref"].rsplit("/", 1)[-1]]
    if "content" not in response:
        return None
    return str(response["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1])


def test_each_status_is_expected_as_the_model_of_its_spec_schema() -> None:
    for op, (path, method, _) in OPERATIONS.items():
        for code, response in RAW_SPEC["paths"][path][method]["responses"].items():
            model = expected_model(op, int(code))
            assert schema_name(response) == (None if model is type(None) else model.__name__), (op, code)


def test_every_documented_status_of_every_operation_is_exercised() -> None:
    forced = {(op, status) for op, status, _, _ in EXAMPLES} | set(FORCED_WITHOUT_BODY)
    assert set(DOCUMENTED) <= forced, "every documented status is forced: by a named example, or bodiless by code"
    assert set(PROVOKED) <= set(DOCUMENTED), "only documented statuses are provoked"
    assert {op for op, _ in DOCUMENTED} == set(SEND)
    assert {(op, 409) for op in SEND} <= set(DOCUMENTED) and set(THROTTLED) == set(SEND)


# ---- provoked for real ------------------------------------------------------------------------------------


def provoke_200(op: str, nexudus: AuthenticatedClient, anonymous: Client) -> Response[Any]:
    return SEND[op](nexudus, DOC_ID, doc_body())


def provoke_400(op: str, nexudus: AuthenticatedClient, anonymous: Client) -> Response[Any]:
    body = doc_body()
    body.name = ""  # "is a required field"
    return SEND[op](nexudus, 2_147_483_648 if op == "get_workspace" else DOC_ID, body)  # the Id past int32


def provoke_401(op: str, nexudus: AuthenticatedClient, anonymous: Client) -> Response[Any]:
    return SEND[op](anonymous, DOC_ID, doc_body())


def provoke_404(op: str, nexudus: AuthenticatedClient, anonymous: Client) -> Response[Any]:
    return SEND[op](nexudus, 404404, doc_body())


def provoke_413(op: str, nexudus: AuthenticatedClient, anonymous: Client) -> Response[Any]:
    body = doc_body()
    body.description = "x" * MIB  # refused for its size, before its length limit is even looked at
    return SEND[op](nexudus, DOC_ID, body)


PROVOKE: dict[int, Callable[[str, AuthenticatedClient, Client], Response[Any]]] = {
    200: provoke_200,
    400: provoke_400,
    401: provoke_401,
    404: provoke_404,
    413: provoke_413,
}
PROVOKED = [(op, status) for op, status in DOCUMENTED if status in PROVOKE]


@pytest.mark.parametrize(("op", "status"), PROVOKED, ids=[f"{op}-{status}" for op, status in PROVOKED])
def test_provoked_status_parses_into_its_model(
    mock_server: MockProcess, nexudus: AuthenticatedClient, op: str, status: int
) -> None:
    with Client(base_url=mock_server.url + BASE_PATH, timeout=TIMEOUT, raise_on_unexpected_status=True) as anonymous:
        response = PROVOKE[status](op, nexudus, anonymous)
    parsed = assert_parsed(response, op, status)
    if status == 200 and op == "update_workspace":
        assert parsed.value.id == DOC_ID and parsed.was_successful and parsed.errors is None
    if status == 200 and op == "get_workspace":
        assert parsed.id == DOC_ID
    if status == 400:
        assert parsed.errors and parsed.message == f"{parsed.errors[0].property_name}: {parsed.errors[0].message}"
        assert parsed.errors[0].property_name == ("id" if op == "get_workspace" else "Name")
    if status == 401:
        assert parsed.message == "Authorization has been denied for this request."
        assert "Basic" in response.headers["WWW-Authenticate"]
    if status == 404:
        assert parsed is NotFound.NOT_FOUND


THROTTLED = [op for op, status in DOCUMENTED if status == 409]


@pytest.mark.parametrize("op", THROTTLED)
def test_throttling_parses_as_nothing_with_retry_after(op: str) -> None:
    app = create_app(["nexudus"], validate_responses=True, rate_limits=True, clock=lambda: 0.0)  # time stands still
    with TestClient(app, base_url="http://mock" + BASE_PATH, headers={"Authorization": "Bearer throttled"}) as http:
        nexudus = make_client("http://mock", "throttled").set_httpx_client(http)  # the client's calls, in-process
        assert_parsed(SEND[op](nexudus, DOC_ID, doc_body()), op, 200)
        response = SEND[op](nexudus, DOC_ID, doc_body())
    assert_parsed(response, op, 409)
    assert (response.content, response.headers["Retry-After"]) == (b"", "1")


def test_a_put_then_the_linked_get_reads_back_what_was_written(nexudus: AuthenticatedClient) -> None:
    body = UpdateWorkspaceRequest(
        id=87654321,
        business_id=123,
        administrator_id=123,
        name="Design Studio",
        visible_in_my_spaces=True,
        description="Shared space for the design team",
        members=[1001, 1002],
        added_members=[1003],
        removed_members=[1001],
    )
    result = update_workspace.sync(client=nexudus, body=body)
    assert isinstance(result, UpdateResult)
    workspace = get_workspace.sync(result.value.id, client=nexudus)  # the PUT's link: id = $request.body#/Id
    assert isinstance(workspace, Workspace)
    assert (workspace.name, workspace.visible_in_my_spaces, workspace.visible_by_everyone) == (body.name, True, False)
    assert (workspace.description, workspace.members) == (body.description, [1002, 1003])
    assert workspace.updated_on == result.updated_on and workspace.updated_by == result.updated_by


def test_asyncio_calls_parse_the_same_models(mock_server: MockProcess, token: str) -> None:
    import asyncio

    async def call() -> Response[Any]:
        async with make_client(mock_server.url, token) as client:
            return await update_workspace.asyncio_detailed(client=client, body=doc_body())

    assert_parsed(asyncio.run(call()), "update_workspace", 200)


# ---- forced with Prefer -----------------------------------------------------------------------------------

FORCED_WITHOUT_BODY = [
    (op, int(code))
    for op, (_, _, operation) in OPERATIONS.items()
    for code, response in operation["responses"].items()
    if "content" not in response
]


@pytest.mark.parametrize(
    ("op", "status", "example", "value"), EXAMPLES, ids=[f"{op}-{status}-{name}" for op, status, name, _ in EXAMPLES]
)
def test_forced_example_parses_into_its_model_and_back(
    mock_server: MockProcess, token: str, op: str, status: int, example: str, value: Any
) -> None:
    prefer = {"Prefer": f"code={status}, example={example}"}
    with make_client(mock_server.url, token, headers=prefer) as client:
        response = SEND[op](client, DOC_ID, doc_body())
    parsed = assert_parsed(response, op, status)
    serialised = parsed.value if isinstance(parsed, NotFound) else parsed.to_dict()
    assert instants(serialised) == instants(value)


@pytest.mark.parametrize(
    ("op", "status"), FORCED_WITHOUT_BODY, ids=[f"{op}-{status}" for op, status in FORCED_WITHOUT_BODY]
)
def test_forced_bodiless_status_parses_as_nothing_with_its_headers(
    mock_server: MockProcess, token: str, op: str, status: int
) -> None:
    with make_client(mock_server.url, token, headers={"Prefer": f"code={status}"}) as client:
        response = SEND[op](client, DOC_ID, doc_body())
    assert_parsed(response, op, status)
    assert response.content == b""
    _, _, operation = OPERATIONS[op]
    for header, spec in operation["responses"][str(status)].get("headers", {}).items():
        assert response.headers[header] == str(spec["example"])

"""The generated COR client against the mock over HTTP: every operation, every documented status, typed.

What can be provoked is provoked for real (doc examples for 200, a body breaking the schema for 400, no
token for 401, an unknown external ID for 404, a body over 1 MiB for 413); every documented response example,
of every status, is also forced with ``Prefer: code=NNN, example=NAME`` and must parse into its model and
serialise back to the same JSON.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from cor_client import AuthenticatedClient, Client
from cor_client.api.users import attach_user_workspaces, update_user
from cor_client.api.workspaces import update_workspace
from cor_client.models import (
    AttachUserWorkspacesRequest,
    Error,
    UpdateUserRequest,
    UpdateWorkspaceRequest,
    User,
    UserWithWorkspaces,
    Workspace,
)
from cor_client.types import Response

from .conftest import SPEC_DIR, load_yaml
from .roundtrip import documented_statuses, instants, named_examples, operations
from .server import MockProcess
from .spec_tools import dereference

RAW_SPEC = load_yaml(SPEC_DIR / "cor.yaml")
SPEC = dereference(RAW_SPEC)
BASE_PATH = "/v2/integrations"
TIMEOUT = httpx.Timeout(10.0)
MIB = 1024 * 1024

AnyClient = AuthenticatedClient | Client
Send = Callable[[AnyClient, str, Any], Response[Any]]

#: operationId → how the client sends it (the operation's own module), the ID its doc example addresses,
#: its request model and the model of its 200.
SEND: dict[str, Send] = {
    "update_workspace": lambda client, id, body: update_workspace.sync_detailed(id, client=client, body=body),
    "update_user": lambda client, id, body: update_user.sync_detailed(id, client=client, body=body),
    "attach_user_workspaces": lambda client, id, body: attach_user_workspaces.sync_detailed(
        id, client=client, body=body
    ),
}
REQUEST_MODEL: dict[str, Any] = {
    "update_workspace": UpdateWorkspaceRequest,
    "update_user": UpdateUserRequest,
    "attach_user_workspaces": AttachUserWorkspacesRequest,
}
SUCCESS_MODEL: dict[str, type] = {
    "update_workspace": Workspace,
    "update_user": User,
    "attach_user_workspaces": UserWithWorkspaces,
}


OPERATIONS = operations(SPEC)
DOCUMENTED = documented_statuses(SPEC)
EXAMPLES = named_examples(SPEC)


def doc_id(op: str) -> str:
    """The external ID the operation's doc example addresses (the path parameter's example)."""
    path, _, _ = OPERATIONS[op]
    parameter = SPEC["paths"][path]["parameters"][0]
    return str(parameter["example"])


def doc_body(op: str) -> Any:
    """The operation's doc request example, as the client's request model."""
    _, _, operation = OPERATIONS[op]
    (example,) = operation["requestBody"]["content"]["application/json"]["examples"].values()
    return REQUEST_MODEL[op].from_dict(example["value"])


def expected_model(op: str, status: int) -> type:
    return SUCCESS_MODEL[op] if status == 200 else Error


def make_client(mock_server: MockProcess, token: str, headers: dict[str, str] | None = None) -> AuthenticatedClient:
    return AuthenticatedClient(
        base_url=mock_server.url + BASE_PATH,
        token=token,
        headers=headers or {},
        timeout=TIMEOUT,
        raise_on_unexpected_status=True,
    )


@pytest.fixture
def cor(mock_server: MockProcess, token: str) -> Iterator[AuthenticatedClient]:
    with make_client(mock_server, token) as client:
        yield client


def assert_parsed(response: Response[Any], op: str, status: int) -> Any:
    assert response.status_code == status, response.content[:500]
    assert isinstance(response.parsed, expected_model(op, status)), response.parsed
    if isinstance(response.parsed, Error):
        assert response.parsed.status == status
    return response.parsed


def schema_name(response: dict[str, Any]) -> str:
    """The component schema a (not dereferenced) response points at, through a shared response if need be."""
    if "$ref" in response:
        response = RAW_SPEC["components"]["responses"][response["$ref"].rsplit("/", 1)[-1]]
    return str(response["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1])


def test_each_status_is_expected_as_the_model_of_its_spec_schema() -> None:
    for op, (path, method, _) in OPERATIONS.items():
        for code, response in RAW_SPEC["paths"][path][method]["responses"].items():
            assert schema_name(response) == expected_model(op, int(code)).__name__, (op, code)


def test_every_documented_status_of_every_operation_is_exercised() -> None:
    forced = {(op, status) for op, status, _, _ in EXAMPLES}
    assert set(DOCUMENTED) <= forced, "every documented status has a named example to force"
    assert set(PROVOKED) <= set(DOCUMENTED), "only documented statuses are provoked"
    assert {op for op, _ in DOCUMENTED} == set(SEND)


# ---- provoked for real ------------------------------------------------------------------------------------


def provoke_200(op: str, cor: AuthenticatedClient, unauthenticated: Client) -> Response[Any]:
    return SEND[op](cor, doc_id(op), doc_body(op))


def provoke_400(op: str, cor: AuthenticatedClient, unauthenticated: Client) -> Response[Any]:
    body = doc_body(op)
    if op == "update_workspace":
        body.name = ""  # minLength 1
    elif op == "update_user":
        body.daily_hours = 25  # at most 24
    else:
        body.workspaces[0].percentage = 150  # at most 100
    return SEND[op](cor, doc_id(op), body)


def provoke_401(op: str, cor: AuthenticatedClient, unauthenticated: Client) -> Response[Any]:
    return SEND[op](unauthenticated, doc_id(op), doc_body(op))


def provoke_404(op: str, cor: AuthenticatedClient, unauthenticated: Client) -> Response[Any]:
    return SEND[op](cor, "NO-SUCH-EXTERNAL-ID", doc_body(op))


def provoke_413(op: str, cor: AuthenticatedClient, unauthenticated: Client) -> Response[Any]:
    body = doc_body(op)
    huge = "x" * MIB  # refused for its size, before its length limit is even looked at
    if op == "update_workspace":
        body.description = huge
    elif op == "update_user":
        body.position = huge
    else:
        body.workspaces[0].workspace_id = huge
    return SEND[op](cor, doc_id(op), body)


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
    mock_server: MockProcess, cor: AuthenticatedClient, op: str, status: int
) -> None:
    with Client(base_url=mock_server.url + BASE_PATH, timeout=TIMEOUT, raise_on_unexpected_status=True) as anonymous:
        response = PROVOKE[status](op, cor, anonymous)
    parsed = assert_parsed(response, op, status)
    if status == 400:
        assert parsed.name == "ValidationError" and parsed.errors, parsed
    if status == 401:
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
    if status == 404:
        assert parsed.code == "ZC001"


def test_update_workspace_returns_what_was_sent(cor: AuthenticatedClient) -> None:
    body = doc_body("update_workspace")
    workspace = update_workspace.sync("TEAMS-WS-12345", client=cor, body=body)
    assert isinstance(workspace, Workspace)
    assert (workspace.name, workspace.description) == (body.name, body.description)


def test_update_user_returns_what_was_sent(cor: AuthenticatedClient) -> None:
    body = doc_body("update_user")
    user = update_user.sync("OKTA-USER-12345", client=cor, body=body)
    assert isinstance(user, User)
    assert (user.role_id, user.daily_hours) == (body.role_id, body.daily_hours)


def test_attach_returns_every_workspace_with_its_percentage(cor: AuthenticatedClient) -> None:
    body = doc_body("attach_user_workspaces")
    user = attach_user_workspaces.sync("OKTA-USER-12345", client=cor, body=body)
    assert isinstance(user, UserWithWorkspaces)
    attached = {w.json_integrations.origin_external_id: w.pivot.percentage for w in user.workspaces}
    assert attached == {w.workspace_id: w.percentage for w in body.workspaces}


def test_asyncio_calls_parse_the_same_models(mock_server: MockProcess, token: str) -> None:
    import asyncio

    async def call() -> Response[Workspace | Error]:
        async with make_client(mock_server, token) as client:
            return await update_workspace.asyncio_detailed(
                "TEAMS-WS-12345", client=client, body=doc_body("update_workspace")
            )

    assert_parsed(asyncio.run(call()), "update_workspace", 200)


# ---- forced with Prefer -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("op", "status", "example", "value"), EXAMPLES, ids=[f"{op}-{status}-{name}" for op, status, name, _ in EXAMPLES]
)
def test_forced_example_parses_into_its_model_and_back(
    mock_server: MockProcess, token: str, op: str, status: int, example: str, value: Any
) -> None:
    prefer = {"Prefer": f"code={status}, example={example}"}
    with make_client(mock_server, token, headers=prefer) as client:
        response = SEND[op](client, doc_id(op), doc_body(op))
    parsed = assert_parsed(response, op, status)
    assert instants(parsed.to_dict()) == instants(value)
    if status == 429:
        assert int(response.headers["Retry-After"]) >= 1

"""The generated Dreadnode client against the mock over HTTP: every operation, every documented status, typed.

What can be provoked is provoked for real (the docs' request for 200, a path segment that is not a slug for
400, no credential for 401, a Reader for 403, an unknown slug for 404, a taken key for 409, a body over 1 MiB
for 413, an empty name for 422); every documented response example, of every status, is also forced with
``Prefer: code=NNN, example=NAME`` and must parse into its model and serialise back to the same JSON.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from dreadnode_client import AuthenticatedClient, Client
from dreadnode_client.api.workspaces import get_workspace, update_workspace
from dreadnode_client.models import ErrorResponse, UpdateWorkspaceRequest, WorkspaceResponse
from dreadnode_client.types import Response

from .conftest import SPEC_DIR, load_yaml
from .roundtrip import documented_statuses, instants, named_examples, operations
from .server import MockProcess
from .spec_tools import dereference

RAW_SPEC = load_yaml(SPEC_DIR / "dreadnode.yaml")
SPEC = dereference(RAW_SPEC)
BASE_PATH = "/api/v1"
TIMEOUT = httpx.Timeout(10.0)
MIB = 1024 * 1024
ORG = "example"

AnyClient = AuthenticatedClient | Client
#: How the client sends each operation: (client, org, workspace, body) → response; GET ignores the body.
Send = Callable[[AnyClient, str, str, UpdateWorkspaceRequest], Response[Any]]
SEND: dict[str, Send] = {
    "get_workspace": lambda client, org, ws, body: get_workspace.sync_detailed(org, ws, client=client),
    "update_workspace": lambda client, org, ws, body: update_workspace.sync_detailed(org, ws, client=client, body=body),
}

OPERATIONS = operations(SPEC)
DOCUMENTED = documented_statuses(SPEC)
EXAMPLES = named_examples(SPEC)


def doc_workspace() -> str:
    """The workspace the docs' request addresses (the path parameter's example)."""
    parameter = next(p for p in SPEC["paths"]["/org/{org}/ws/{workspace}"]["parameters"] if p["name"] == "workspace")
    return str(parameter["example"])


def doc_body() -> UpdateWorkspaceRequest:
    """The docs' request body, as the client's request model."""
    _, _, operation = OPERATIONS["update_workspace"]
    (example,) = operation["requestBody"]["content"]["application/json"]["examples"].values()
    return UpdateWorkspaceRequest.from_dict(example["value"])


def stable_types() -> dict[int, str]:
    """Status → the one ``type`` the spec's examples give errors of that status."""
    return {status: value["type"] for _, status, _, value in EXAMPLES if status >= 400}


def canonical(value: Any) -> Any:
    """``value`` with timestamps as instants and UUIDs as UUIDs: the client writes both back normalised."""
    value = instants(value)
    if isinstance(value, dict):
        return {key: canonical(item) for key, item in value.items()}
    if isinstance(value, list):
        return [canonical(item) for item in value]
    if isinstance(value, str) and len(value) == 36 and value.count("-") == 4:
        try:
            return uuid.UUID(value)
        except ValueError:
            return value
    return value


def make_client(url: str, token: str, headers: dict[str, str] | None = None) -> AuthenticatedClient:
    return AuthenticatedClient(
        base_url=url + BASE_PATH, token=token, headers=headers or {}, timeout=TIMEOUT, raise_on_unexpected_status=True
    )


@pytest.fixture
def dreadnode(mock_server: MockProcess, token: str) -> Iterator[AuthenticatedClient]:
    with make_client(mock_server.url, token) as client:
        yield client


def expected_model(status: int) -> type:
    return WorkspaceResponse if status == 200 else ErrorResponse


def assert_parsed(response: Response[Any], status: int) -> Any:
    assert response.status_code == status, response.content[:500]
    assert isinstance(response.parsed, expected_model(status)), response.parsed
    if isinstance(response.parsed, ErrorResponse):
        assert (response.parsed.code, response.parsed.type_) == (status, stable_types()[status])
    return response.parsed


def test_each_status_is_expected_as_the_model_of_its_spec_schema() -> None:
    for path, method, _ in OPERATIONS.values():
        for code, response in RAW_SPEC["paths"][path][method]["responses"].items():
            if "$ref" in response:
                response = RAW_SPEC["components"]["responses"][response["$ref"].rsplit("/", 1)[-1]]
            schema = response["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
            assert schema == expected_model(int(code)).__name__, (method, code)


def test_every_documented_status_of_every_operation_is_exercised() -> None:
    forced = {(op, status) for op, status, _, _ in EXAMPLES}
    assert set(DOCUMENTED) <= forced, "every documented status has a named example to force"
    assert set(PROVOKED) <= set(DOCUMENTED), "only documented statuses are provoked"
    assert {op for op, _ in DOCUMENTED} == set(SEND)
    assert {status for _, status in PROVOKED} == set(PROVOKE)


# ---- provoked for real ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def reader_mock(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MockProcess]:
    """A mock with ``--auth-file`` where ``reader-credential`` has the Reader role."""
    auth_file: Path = tmp_path_factory.mktemp("auth") / "auth.yaml"
    auth_file.write_text("reader-credential: {tenant: acme, role: Reader}\n", encoding="utf-8")
    server = MockProcess(["--validate-responses", "--api", "dreadnode", "--auth-file", str(auth_file)])
    yield server
    server.stop()


class Clients:
    """The clients a provocation may need: the test's tenant, no credential, and a Reader (started on demand)."""

    def __init__(self, dreadnode: AuthenticatedClient, anonymous: Client, request: pytest.FixtureRequest) -> None:
        self.dreadnode, self.anonymous, self._request = dreadnode, anonymous, request

    def reader(self) -> AuthenticatedClient:
        server: MockProcess = self._request.getfixturevalue("reader_mock")
        return make_client(server.url, "reader-credential")


def provoke_200(op: str, clients: Clients) -> Response[Any]:
    return SEND[op](clients.dreadnode, ORG, doc_workspace(), doc_body())


def provoke_400(op: str, clients: Clients) -> Response[Any]:
    return SEND[op](clients.dreadnode, ORG, "Not_A_Slug", doc_body())


def provoke_401(op: str, clients: Clients) -> Response[Any]:
    return SEND[op](clients.anonymous, ORG, doc_workspace(), doc_body())


def provoke_403(op: str, clients: Clients) -> Response[Any]:
    with clients.reader() as reader:
        return SEND[op](reader, ORG, doc_workspace(), doc_body())


def provoke_404(op: str, clients: Clients) -> Response[Any]:
    return SEND[op](clients.dreadnode, ORG, "no-such-workspace", doc_body())


def provoke_409(op: str, clients: Clients) -> Response[Any]:
    return SEND[op](clients.dreadnode, ORG, doc_workspace(), UpdateWorkspaceRequest(key="research"))


def provoke_413(op: str, clients: Clients) -> Response[Any]:
    # Refused for its size, before its length limit is even looked at.
    return SEND[op](clients.dreadnode, ORG, doc_workspace(), UpdateWorkspaceRequest(description="x" * MIB))


def provoke_422(op: str, clients: Clients) -> Response[Any]:
    return SEND[op](clients.dreadnode, ORG, doc_workspace(), UpdateWorkspaceRequest(name="", key="Not A Slug"))


PROVOKE: dict[int, Callable[[str, Clients], Response[Any]]] = {
    200: provoke_200,
    400: provoke_400,
    401: provoke_401,
    403: provoke_403,
    404: provoke_404,
    409: provoke_409,
    413: provoke_413,
    422: provoke_422,
}
#: A Reader may read, so 403 is provoked on the update only; the read's 403 is forced below.
PROVOKED = [(op, status) for op, status in DOCUMENTED if status in PROVOKE and (op, status) != ("get_workspace", 403)]


@pytest.mark.parametrize(("op", "status"), PROVOKED, ids=[f"{op}-{status}" for op, status in PROVOKED])
def test_provoked_status_parses_into_its_model(
    mock_server: MockProcess, dreadnode: AuthenticatedClient, request: pytest.FixtureRequest, op: str, status: int
) -> None:
    with Client(base_url=mock_server.url + BASE_PATH, timeout=TIMEOUT, raise_on_unexpected_status=True) as anonymous:
        response = PROVOKE[status](op, Clients(dreadnode, anonymous, request))
    parsed = assert_parsed(response, status)
    if status == 401:
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
    if status == 409:
        assert "'research'" in parsed.detail
    if status == 422:
        assert sorted(tuple(e.loc) for e in parsed.errors) == [("body", "key"), ("body", "name")]


def test_update_returns_what_was_sent_and_get_reads_it_back(dreadnode: AuthenticatedClient) -> None:
    body = UpdateWorkspaceRequest(name="Red team", description=None, is_active=False)
    updated = update_workspace.sync(ORG, "example", client=dreadnode, body=body)
    assert isinstance(updated, WorkspaceResponse)
    assert (updated.name, updated.description, updated.is_active, updated.key) == ("Red team", None, False, "example")
    assert get_workspace.sync(ORG, "example", client=dreadnode) == updated


def test_a_rename_through_the_client_moves_the_workspace(dreadnode: AuthenticatedClient) -> None:
    renamed = update_workspace.sync(ORG, "example", client=dreadnode, body=UpdateWorkspaceRequest(key="red-team"))
    assert isinstance(renamed, WorkspaceResponse) and renamed.key == "red-team"
    assert_parsed(get_workspace.sync_detailed(ORG, "example", client=dreadnode), 404)
    assert get_workspace.sync(ORG, renamed.key, client=dreadnode) == renamed


def test_an_api_key_client_reaches_the_same_tenant(mock_server: MockProcess, dreadnode: AuthenticatedClient) -> None:
    with Client(base_url=mock_server.url + BASE_PATH, headers={"X-API-Key": dreadnode.token}, timeout=TIMEOUT) as keyed:
        updated = update_workspace.sync(ORG, "example", client=keyed, body=UpdateWorkspaceRequest(name="Keyed"))
    assert isinstance(updated, WorkspaceResponse)
    read = get_workspace.sync(ORG, "example", client=dreadnode)
    assert isinstance(read, WorkspaceResponse) and read.name == "Keyed"


def test_asyncio_calls_parse_the_same_models(mock_server: MockProcess, token: str) -> None:
    async def call() -> Response[ErrorResponse | WorkspaceResponse]:
        async with make_client(mock_server.url, token) as client:
            return await update_workspace.asyncio_detailed(ORG, "example", client=client, body=doc_body())

    assert_parsed(asyncio.run(call()), 200)


# ---- forced with Prefer -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("op", "status", "example", "value"), EXAMPLES, ids=[f"{op}-{status}-{name}" for op, status, name, _ in EXAMPLES]
)
def test_forced_example_parses_into_its_model_and_back(
    mock_server: MockProcess, token: str, op: str, status: int, example: str, value: Any
) -> None:
    prefer = {"Prefer": f"code={status}, example={example}"}
    with make_client(mock_server.url, token, headers=prefer) as client:
        response = SEND[op](client, ORG, doc_workspace(), doc_body())
    parsed = assert_parsed(response, status)
    assert canonical(parsed.to_dict()) == canonical(value)
    if status == 429:
        assert int(response.headers["Retry-After"]) >= 1

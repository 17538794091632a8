"""What the kit's client templates add to every generated client: a default timeout, opt-in retries that honour
``Retry-After``, an error naming the URL when the base URL is wrong, and a README whose call runs.

Waits are never slept: the mock's throttle runs on an injected clock, and the retries' sleeps advance it.
"""

from __future__ import annotations

import asyncio
import http.server
import importlib
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import cor_client
import dreadnode_client
import httpx
import nexudus_client
import pytest
from cor_client.api.workspaces import update_workspace as cor_update
from cor_client.models import UpdateWorkspaceRequest as CorUpdate
from dreadnode_client.api.workspaces import get_workspace as dreadnode_get
from nexudus_client import AuthenticatedClient, retry_on_throttling
from nexudus_client.api.workspaces import get_workspace as nexudus_get
from nexudus_client.api.workspaces import update_workspace as nexudus_update
from nexudus_client.models import UpdateResult, UpdateWorkspaceRequest, Workspace
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mock_server.app import create_app
from mock_server.registry import VENDORS

from .conftest import REPO, Clock, load_yaml
from .readme import code_blocks
from .server import MockProcess, free_port, serve
from .spec_tools import operations

CLIENTS = {"cor": cor_client, "dreadnode": dreadnode_client, "nexudus": nexudus_client}
#: One call per API, through its generated client: the kinds of request the README shows.
CALLS: dict[str, Callable[[Any], Any]] = {
    "cor": lambda client: cor_update.sync_detailed(
        "TEAMS-WS-12345", client=client, body=CorUpdate.from_dict({"metadata": {"source": "MICROSOFT_TEAMS"}})
    ),
    "dreadnode": lambda client: dreadnode_get.sync_detailed("example", "example", client=client),
    "nexudus": lambda client: nexudus_get.sync_detailed(123, client=client),
}
#: What each client README's call answers against the mock: the operation's 200 model.
README_ANSWERS = {"cor": "200 Workspace", "dreadnode": "200 WorkspaceResponse", "nexudus": "200 UpdateResult"}


def authenticated(api: str, base_url: str, **options: Any) -> Any:
    client_class = CLIENTS[api].AuthenticatedClient
    return client_class(base_url=base_url, token=f"runtime-{uuid.uuid4()}", **options)


# -- timeouts ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("api", sorted(CLIENTS))
def test_every_call_gives_up_after_ten_seconds_unless_told_otherwise(api: str) -> None:
    module = CLIENTS[api]
    assert authenticated(api, "http://127.0.0.1").get_httpx_client().timeout == httpx.Timeout(10.0)
    assert module.Client(base_url="http://127.0.0.1").get_async_httpx_client().timeout == httpx.Timeout(10.0)
    assert authenticated(api, "http://127.0.0.1", timeout=None).get_httpx_client().timeout == httpx.Timeout(None)


@pytest.mark.parametrize("api", sorted(CLIENTS))
def test_a_slow_answer_raises_a_timeout_after_the_configured_time(api: str) -> None:
    """The mock's ``Prefer: delay`` waits on an event the test sets only after the client gave up: the timeout
    can only have come from the client's own configured time, never from the answer arriving."""
    answer = threading.Event()
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)
        await asyncio.to_thread(answer.wait, 30)

    with serve(create_app([api], sleep=sleep)) as origin:
        base_url = origin + VENDORS[api].base_path
        client = authenticated(api, base_url, timeout=httpx.Timeout(0.5), headers={"Prefer": "delay=5000"})
        try:
            with client, pytest.raises(httpx.ReadTimeout):
                CALLS[api](client)
            assert waits == [5.0]  # the request reached the mock, which was still waiting
        finally:
            answer.set()


# -- retries -------------------------------------------------------------------------------------------------------


def throttling_statuses(api: str) -> set[int]:
    """From the spec: 429, and every status documented with a Retry-After header."""
    spec = load_yaml(REPO / "openapi" / f"{api}.yaml")
    found = {429}
    for _, _, operation in operations(spec):
        for status, response in operation["responses"].items():
            if "$ref" in response:
                response = spec["components"]["responses"][response["$ref"].rsplit("/", 1)[1]]
            if any(name.lower() == "retry-after" for name in response.get("headers", {})):
                found.add(int(status))
    return found


@pytest.mark.parametrize("api", sorted(CLIENTS))
def test_retries_cover_the_api_s_throttling_statuses_and_idempotent_methods_only(api: str) -> None:
    retry = CLIENTS[api].retry_on_throttling()

    assert set(retry.status_forcelist) == throttling_statuses(api)
    assert {"GET", "PUT", "DELETE"} <= retry.allowed_methods and not {"POST", "PATCH"} & retry.allowed_methods
    assert retry.is_retryable_exception(httpx.ConnectError("refused"))
    assert not retry.is_retryable_exception(httpx.ReadTimeout("slow"))  # a timeout means the time is up


def test_nexudus_throttles_with_409_where_dreadnode_s_409_is_a_conflict_never_retried() -> None:
    assert throttling_statuses("nexudus") == {409, 429}
    assert throttling_statuses("dreadnode") == {429}


class Statuses:
    """ASGI middleware recording the status of every response the app sends."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.seen: list[int] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def watch(message: Message) -> None:
            if message["type"] == "http.response.start":
                self.seen.append(message["status"])
            await send(message)

        await self.app(scope, receive, watch)


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The waits the retries take, recorded instead of slept (each also advances ``mock_clock``)."""
    taken: list[float] = []
    monkeypatch.setattr(time, "sleep", taken.append)
    return taken


@contextmanager
def throttled_nexudus(clock: Clock) -> Iterator[tuple[str, Statuses]]:
    """The mock serving Nexudus with ``--rate-limits`` on ``clock``; its origin and the statuses it answers."""
    app = Statuses(create_app(["nexudus"], rate_limits=True, clock=clock))
    with serve(app) as origin:
        yield origin, app


def test_twenty_back_to_back_writes_all_succeed_waiting_as_retry_after_says(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = Clock()
    waits: list[float] = []

    def sleep(seconds: float) -> None:  # what the retries wait: time passes for the mock's throttle only
        waits.append(seconds)
        clock.advance(seconds)

    with throttled_nexudus(clock) as (origin, app):
        monkeypatch.setattr(time, "sleep", sleep)
        client = AuthenticatedClient(base_url=origin + "/api", token="retries", retry=retry_on_throttling())
        with client:
            results = [
                nexudus_update.sync_detailed(
                    client=client,
                    body=UpdateWorkspaceRequest(id=123, business_id=123, administrator_id=123, name=f"Write {n}"),
                )
                for n in range(20)
            ]
            stored = nexudus_get.sync(123, client=client)

    assert [result.status_code for result in results] == [200] * 20
    assert all(isinstance(result.parsed, UpdateResult) for result in results)
    # One request per 100 ms: each request after the first, the read back included, is refused once (409 with
    # Retry-After: 1) and goes through after the one second it asked for.
    assert app.seen == [200] + [409, 200] * 20
    assert waits == [1.0] * 20
    assert isinstance(stored, Workspace) and stored.name == "Write 19"


def test_without_retries_a_throttled_write_comes_back_as_the_409(monkeypatch: pytest.MonkeyPatch) -> None:
    with throttled_nexudus(Clock()) as (origin, app):
        client = AuthenticatedClient(base_url=origin + "/api", token="no-retries")
        body = UpdateWorkspaceRequest(id=123, business_id=123, administrator_id=123, name="Twice")
        with client:
            statuses = [nexudus_update.sync_detailed(client=client, body=body).status_code for _ in range(2)]

    assert statuses == [200, 409]
    assert app.seen == [200, 409]


@pytest.mark.parametrize("api", sorted(CLIENTS))
def test_connection_errors_are_retried_with_bounded_backoff_then_raised(api: str, sleeps: list[float]) -> None:
    retry = CLIENTS[api].retry_on_throttling(total=3, backoff_factor=0.5, max_wait=1.5)
    client = authenticated(api, f"http://127.0.0.1:{free_port()}", retry=retry)  # nobody listens there

    with client, pytest.raises(httpx.ConnectError):
        CALLS[api](client)

    assert len(sleeps) == 3
    assert all(0 <= wait <= 1.5 for wait in sleeps)


# -- a wrong base URL ----------------------------------------------------------------------------------------------


class HtmlNotFound(http.server.BaseHTTPRequestHandler):
    """Another server altogether: an HTML 404 for everything."""

    def do_GET(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))  # read before closing: no reset
        self.send_error(404)

    do_PUT = do_GET

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def html_server() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), HtmlNotFound)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("api", sorted(CLIENTS))
@pytest.mark.parametrize("elsewhere", ["the mock without the base path", "an HTML server"])
def test_a_wrong_base_url_raises_an_error_naming_the_url_not_a_key_error(
    api: str, elsewhere: str, mock_server: MockProcess
) -> None:
    errors = importlib.import_module(f"{api}_client.errors")
    with html_server() as html_origin:
        base_url = mock_server.url if elsewhere == "the mock without the base path" else html_origin
        with authenticated(api, base_url) as client, pytest.raises(errors.UnexpectedResponse) as raised:
            CALLS[api](client)

    message = str(raised.value)
    assert raised.value.status_code == 404 and raised.value.url.startswith(base_url + "/")
    assert f"answered 404 ({'text/html' if elsewhere == 'an HTML server' else 'application/'}" in message
    assert "Is the client's base_url right? Operations are relative to the API's base URL, such as" in message
    assert errors.DOCUMENTED_BASE_URL == VENDORS[api].spec["servers"][0]["url"]
    assert errors.DOCUMENTED_BASE_URL in message
    assert isinstance(raised.value.__cause__, KeyError | ValueError)


@pytest.mark.parametrize("api", sorted(CLIENTS))
def test_the_right_base_url_still_parses_the_documented_answer(api: str, mock_server: MockProcess) -> None:
    with authenticated(api, mock_server.url + VENDORS[api].base_path) as client:
        assert CALLS[api](client).status_code == 200


# -- each client's README ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("api", sorted(CLIENTS))
def test_each_client_readme_call_runs_as_written_against_the_mock(
    api: str, mock_server: MockProcess, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    readme = REPO / "generated_client" / f"{api}_client" / "README.md"
    (example,) = code_blocks("A call", "python", readme=readme)
    monkeypatch.setenv(f"{api.upper()}_BASE_URL", mock_server.url + VENDORS[api].base_path)
    monkeypatch.setenv(f"{api.upper()}_TOKEN", f"readme-{uuid.uuid4()}")

    exec(compile(example, str(readme), "exec"), {"__name__": "__main__"})

    assert capsys.readouterr().out == README_ANSWERS[api] + "\n"


def test_each_client_readme_names_its_api_base_url_auth_and_retry_statuses() -> None:
    for api, statuses in (("cor", "429"), ("dreadnode", "429"), ("nexudus", "409, 429")):
        text = (REPO / "generated_client" / f"{api}_client" / "README.md").read_text(encoding="utf-8")
        spec = load_yaml(REPO / "openapi" / f"{api}.yaml")
        assert text.startswith(f"# {api}-client\n\nA typed Python client for the **{spec['info']['title']}**")
        assert f"`{spec['servers'][0]['url']}`" in text
        assert "MyDataModel" not in text and "api.example.com" not in text
        assert f"retried on\n{statuses} (the statuses" in text
        for name, scheme in spec["components"]["securitySchemes"].items():
            assert scheme["description"] in text, name

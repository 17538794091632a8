"""Bad input, limits, concurrency and isolation, over real HTTP, for every operation of every API.

Schemathesis always sends well-formed JSON; these are the inputs it never sends. Every answer must be the
documented 4xx in the API's own error shape: never a 5xx, never a traceback, and never a change of state.
"""

from __future__ import annotations

import asyncio
import copy
import http.client
import json
import re
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from openapi_schema_validator import OAS30Validator
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from mock_server import process
from mock_server.app import create_app

from .conftest import SPEC_DIR, load_yaml
from .contract import Spec
from .server import MockProcess
from .spec_tools import dereference

MIB = 1024 * 1024
METHODS = ("get", "put", "post", "delete", "patch")


@dataclass(frozen=True)
class Operation:
    api: str
    method: str
    template: str
    base_path: str  # where the mock serves the API
    path: str  # the template filled with the spec's parameter examples, under the API's base path
    declared: frozenset[str]  # every method the spec declares for the template
    spec: dict[str, Any]  # dereferenced operation
    error_schema: dict[str, Any]  # the API's error shape (its 400 response)

    def __str__(self) -> str:
        return f"{self.api}:{self.method.upper()} {self.template}"

    @property
    def has_body(self) -> bool:
        return "requestBody" in self.spec

    def example_body(self) -> Any:
        content = self.spec["requestBody"]["content"]["application/json"]
        examples = content.get("examples", {})
        return next(iter(examples.values()))["value"] if examples else content.get("example", {})

    def schema_for(self, status: int) -> dict[str, Any]:
        response = self.spec["responses"].get(str(status))
        if response and "content" in response:
            return dict(response["content"]["application/json"]["schema"])
        return self.error_schema


def _operations() -> list[Operation]:
    found = []
    for spec_file in sorted(SPEC_DIR.glob("*.yaml")):
        raw = load_yaml(spec_file)
        if not isinstance(raw, dict) or "openapi" not in raw:
            continue
        spec = dereference(raw)
        base = Spec(spec_file.stem, spec_file).base_path
        operations = [
            (path, method, item[method], item.get("parameters", []))
            for path, item in spec["paths"].items()
            for method in METHODS
            if method in item
        ]
        error_schema = next(
            op["responses"]["400"]["content"]["application/json"]["schema"]
            for _, _, op, _ in operations
            if "400" in op["responses"]
        )
        for template, method, operation, shared in operations:
            path = template
            for param in [*shared, *operation.get("parameters", [])]:
                if param["in"] == "path":
                    path = path.replace("{" + param["name"] + "}", str(param.get("example", "x")))
            declared = frozenset(m.upper() for m in METHODS if m in spec["paths"][template])
            found.append(
                Operation(spec_file.stem, method, template, base, base + path, declared, operation, error_schema)
            )
    return found


OPERATIONS = _operations()
WITH_BODY = [op for op in OPERATIONS if op.has_body]


def _bad_bodies(op: Operation) -> Iterator[tuple[str, dict[str, str], bytes, int]]:
    """(label, headers, body, expected status) for each bad-input class."""
    valid = json.dumps(op.example_body()).encode()
    as_json = {"Content-Type": "application/json"}
    yield "no-content-type", {}, valid, 415
    yield "wrong-content-type", {"Content-Type": "text/plain"}, valid, 415
    yield "latin-1-charset", {"Content-Type": "application/json; charset=latin-1"}, valid, 415
    yield "malformed-json", as_json, b'{"metadata": ', 400
    yield "invalid-utf8", as_json, b'{"name": "\xff\xfe"}', 400
    yield "nan", as_json, b'{"value": NaN}', 400
    yield "infinity", as_json, b'{"value": -Infinity}', 400
    yield "float-overflow", as_json, b'{"value": 1e999}', 400
    yield "nested-65-deep", as_json, b'{"a": ' + b"[" * 64 + b"]" * 64 + b"}", 400
    yield "nested-100000-deep", as_json, b"[" * 100_000 + b"]" * 100_000, 400
    yield "number-101-digits", as_json, b'{"value": ' + b"9" * 101 + b"}", 400
    yield "number-5000-digits", as_json, b'{"value": ' + b"9" * 5000 + b"}", 400
    yield "duplicate-keys", as_json, b'{"a": 1, "a": 2}', 400
    yield "array-not-object", as_json, b"[]", 400
    yield "string-not-object", as_json, b'"text"', 400
    yield "trailing-garbage", as_json, valid + b" {}", 400
    yield "over-1-mib", as_json, b'{"a": "' + b"x" * MIB + b'"}', 413


def _assert_vendor_error(op: Operation, response: httpx.Response, expected: int, max_bytes: int = 4096) -> None:
    assert response.status_code == expected, (str(op), response.status_code, response.text[:300])
    assert "Traceback" not in response.text
    assert len(response.content) < max_bytes, "an error must not echo the whole input"
    OAS30Validator(op.schema_for(expected)).validate(response.json())


@pytest.fixture(scope="module")
def api(mock_server: MockProcess) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=mock_server.url, headers={"Authorization": "Bearer robustness"}, timeout=30) as client:
        client.post("/__mock__/reset")
        yield client


@pytest.fixture
def unchanged_state(api: httpx.Client) -> Iterator[None]:
    """The bad input a test sends may not change anything: the tenant's state is byte-identical after it."""
    before = api.get("/__mock__/state").content
    yield
    assert api.get("/__mock__/state").content == before, "bad input changed the stored state"


@pytest.mark.parametrize("op", WITH_BODY, ids=str)
def test_every_bad_body_gets_the_documented_4xx_in_the_vendors_shape(
    api: httpx.Client, unchanged_state: None, op: Operation
) -> None:
    for label, headers, body, expected in _bad_bodies(op):
        response = api.request(op.method, op.path, content=body, headers=headers)
        try:
            _assert_vendor_error(op, response, expected)
        except AssertionError as exc:
            raise AssertionError(f"{label}: {exc}") from None


def test_an_oversized_chunked_body_is_refused_without_reading_it_all(api: httpx.Client, unchanged_state: None) -> None:
    for op in WITH_BODY:
        sent = 0

        def chunks() -> Iterator[bytes]:
            nonlocal sent
            for _ in range(64):  # 4 MiB in all, announced by no Content-Length
                sent += 64 * 1024
                yield b" " * (64 * 1024)

        response = api.request(op.method, op.path, content=chunks(), headers={"Content-Type": "application/json"})
        _assert_vendor_error(op, response, 413)


def _raw_request(
    base_url: str, method: str, path: str, body: bytes | None, headers: dict[str, str | bytes]
) -> httpx.Response:
    """Send ``path`` exactly as given: HTTP clients normalise ``..`` segments away before sending."""
    host, port = base_url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        connection.request(method.upper(), path, body=body, headers=headers)
        raw = connection.getresponse()
        return httpx.Response(raw.status, headers=raw.getheaders(), content=raw.read())
    finally:
        connection.close()


@pytest.mark.parametrize("op", [op for op in OPERATIONS if "{" in op.template], ids=str)
def test_bad_path_ids_are_400_or_404(mock_server: MockProcess, unchanged_state: None, op: Operation) -> None:
    body = json.dumps(op.example_body()).encode() if op.has_body else None
    headers: dict[str, str | bytes] = {"Content-Type": "application/json", "Authorization": "Bearer robustness"}
    segments = op.path.split("/")
    template_segments = op.template.split("/")
    # Replace each path parameter's segment in turn.
    offset = len(segments) - len(template_segments)
    for index, part in enumerate(template_segments):
        if not part.startswith("{"):
            continue
        for label, bad in (("nul", "a%00b"), ("dot-dot", ".."), ("over-long", "x" * 5000)):
            path = "/".join([*segments[: offset + index], bad, *segments[offset + index + 1 :]])
            response = _raw_request(mock_server.url, op.method, path, body, headers)
            assert response.status_code in (400, 404), (label, part, response.text[:200])
            _assert_vendor_error(op, response, response.status_code)


@pytest.mark.parametrize("op", OPERATIONS, ids=str)
def test_undeclared_methods_are_405_with_allow(api: httpx.Client, unchanged_state: None, op: Operation) -> None:
    for method in ("DELETE", "PATCH", "POST", "OPTIONS", "TRACE"):
        if method in op.declared:
            continue
        response = api.request(method, op.path)
        _assert_vendor_error(op, response, 405)
        assert set(response.headers["Allow"].split(", ")) == op.declared
        assert "access-control-allow-origin" not in response.headers


@pytest.mark.parametrize("op", OPERATIONS, ids=str)
def test_unknown_paths_are_404_in_the_shape_of_their_api(
    api: httpx.Client, unchanged_state: None, op: Operation
) -> None:
    response = api.get(op.base_path + "/no/such/route")
    _assert_vendor_error(op, response, 404)


# -- concurrency ---------------------------------------------------------------------------------------------------

USER = "/v2/integrations/users/OKTA-USER-12345"
DYNAMICS = {"source": "MICROSOFT_DYNAMICS"}


async def _gather_bounded(requests: list[Any], limit: int) -> list[httpx.Response]:
    gate = asyncio.Semaphore(limit)

    async def one(request: Any) -> httpx.Response:
        async with gate:
            return await request()

    return await asyncio.gather(*(one(r) for r in requests))


def test_1000_concurrent_attaches_lose_no_update(mock_server: MockProcess, token: str) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    state = httpx.get(mock_server.url + "/__mock__/state", headers=headers).json()
    template = state["cor"]["workspaces"]["MICROSOFT_DYNAMICS"]["Workspaces-example-5"]
    state["cor"]["workspaces"]["MICROSOFT_DYNAMICS"] = {
        f"ws-{n}": {**template, "id": 10_000 + n, "name": f"Workspace {n}"} for n in range(1000)
    }
    assert httpx.put(mock_server.url + "/__mock__/state", json=state, headers=headers).status_code == 200

    async def run() -> list[httpx.Response]:
        limits = httpx.Limits(max_connections=64, max_keepalive_connections=64)
        async with httpx.AsyncClient(base_url=mock_server.url, headers=headers, limits=limits, timeout=60) as client:
            return await _gather_bounded(
                [
                    lambda n=n: client.put(
                        f"{USER}/attach",
                        json={"metadata": DYNAMICS, "workspaces": [{"workspaceId": f"ws-{n}", "percentage": n % 100}]},
                    )
                    for n in range(1000)
                ],
                limit=64,
            )

    responses = asyncio.run(run())
    assert [r.status_code for r in responses].count(200) == 1000
    user = httpx.get(mock_server.url + "/__mock__/state", headers=headers).json()["cor"]["users"]
    attached = user["MICROSOFT_DYNAMICS"]["OKTA-USER-12345"]["workspaces"]
    assert len(attached) == 1000
    assert all(attached[f"ws-{n}"]["percentage"] == n % 100 for n in range(1000))


def test_concurrent_partial_updates_of_different_fields_all_hold(mock_server: MockProcess, token: str) -> None:
    fields = {
        "first_name": lambda r: f"First{r}",
        "last_name": lambda r: f"Last{r}",
        "phone": lambda r: f"+1 555-{r:04d}",
        "position": lambda r: f"Position {r}",
        "department": lambda r: f"Department {r}",
        "daily_hours": lambda r: r % 24,
        "role_id": lambda r: r % 6 + 1,
    }

    async def run() -> None:
        async with httpx.AsyncClient(
            base_url=mock_server.url, headers={"Authorization": f"Bearer {token}"}, timeout=60
        ) as client:
            for round_ in range(200):
                responses = await asyncio.gather(
                    *(
                        client.put(USER, json={"metadata": {"source": "OKTA"}, field: value(round_)})
                        for field, value in fields.items()
                    )
                )
                assert all(r.status_code == 200 for r in responses)
                stored = (await client.get("/__mock__/state")).json()["cor"]["users"]["OKTA"]["OKTA-USER-12345"]
                assert {f: stored[f] for f in fields} == {f: v(round_) for f, v in fields.items()}, round_

    asyncio.run(run())


# -- isolation and memory ------------------------------------------------------------------------------------------


def test_tenant_b_never_changes_or_reads_tenant_a(mock_server: MockProcess) -> None:
    a = {"Authorization": "Bearer isolation-tenant-a"}
    b = {"Authorization": "Bearer isolation-tenant-b"}
    url = mock_server.url
    httpx.post(url + "/__mock__/reset", headers=a)
    httpx.put(url + USER, json={"metadata": {"source": "OKTA"}, "first_name": "Alice"}, headers=a)
    a_state = httpx.get(url + "/__mock__/state", headers=a).content

    for n in range(20):
        httpx.put(url + USER, json={"metadata": {"source": "OKTA"}, "first_name": f"Bob{n}"}, headers=b)
    httpx.post(url + "/__mock__/reset", headers=b)
    b_view = httpx.get(url + "/__mock__/state", headers=b).json()

    assert httpx.get(url + "/__mock__/state", headers=a).content == a_state
    assert b_view["cor"]["users"]["OKTA"]["OKTA-USER-12345"]["first_name"] == "John"
    assert "Alice" not in json.dumps(b_view)
    assert "Alice" not in httpx.get(url + "/__mock__/requests", headers=b).text


def _peak_rss_kib(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1))  # type: ignore[union-attr]


def test_100_oversized_requests_raise_peak_rss_by_less_than_50_mb() -> None:
    server = MockProcess()
    try:
        url = server.url + "/v2/integrations/workspaces/TEAMS-WS-12345"
        headers = {"Authorization": "Bearer rss", "Content-Type": "application/json"}
        httpx.put(url, json={"metadata": {"source": "MICROSOFT_TEAMS"}}, headers=headers)
        before = _peak_rss_kib(server.process.pid)
        body = b'{"a": "' + b"x" * (8 * MIB) + b'"}'
        with httpx.Client(timeout=30) as client:
            for n in range(100):
                if n % 2:
                    response = client.put(url, content=body, headers=headers)
                else:
                    response = client.put(
                        url, content=iter([body[i : i + MIB] for i in range(0, len(body), MIB)]), headers=headers
                    )
                assert response.status_code == 413
        grown_mib = (_peak_rss_kib(server.process.pid) - before) / 1024
        assert grown_mib < 50, f"peak RSS grew by {grown_mib:.1f} MiB"
    finally:
        server.stop()


# -- hardening: a mock under an address-space limit, probed the way a hostile client would ---------------------

#: The mock's address space in these tests: a request that blows memory up fails the test, not the machine.
ADDRESS_SPACE = 3 * 1024**3
ADMIN_STATE = "/__mock__/state"


def _limited_mock(*args: str) -> process.MockProcess:
    python = str(Path(__file__).resolve().parents[1] / ".venv/bin/python")
    command = ["prlimit", f"--as={ADDRESS_SPACE}", python, "-m", "mock_server", "--port", "0", *args]
    return process.MockProcess(command)


@pytest.fixture(scope="module")
def hardened() -> Iterator[process.MockProcess]:
    """A mock of its own, memory-bounded, with short header deadline and small budgets so tests reach them."""
    server = _limited_mock("--validate-responses", "--access-log", "--header-timeout", "1", "--max-tenants", "3")
    yield server
    server.stop()
    log = "".join(server.output)
    assert "Traceback" not in log, log[-3000:]


def _client(server: process.MockProcess, token: str) -> httpx.Client:
    return httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {token}"}, timeout=30)


_ADMIN_OP = next(op for op in OPERATIONS if op.api == "mock_admin" and op.template == "/state" and op.method == "put")


def _string_field(body: Any) -> list[str]:
    """The path to the first string value in a body, for putting a bad string there."""
    if isinstance(body, dict):
        for key, value in body.items():
            if isinstance(value, str):
                return [key]
            inner = _string_field(value)
            if inner:
                return [key, *inner]
    return []


def _surrogate_bodies(op: Operation) -> Iterator[tuple[str, bytes]]:
    valid = json.dumps(op.example_body())
    yield "in-a-key", valid.replace("{", '{"\\ud800": 1, ', 1).encode()
    yield "lone-low", valid.replace("{", '{"x": "a\\udfffb", ', 1).encode()
    field = _string_field(op.example_body())
    if field:
        body = copy.deepcopy(op.example_body())
        target = body
        for key in field[:-1]:
            target = target[key]
        target[field[-1]] = "SURROGATE"
        yield "in-a-string-field", json.dumps(body).replace('"SURROGATE"', '"x\\ud800"').encode()


@pytest.mark.parametrize("op", WITH_BODY, ids=str)
def test_unpaired_surrogates_are_malformed_json(hardened: process.MockProcess, op: Operation) -> None:
    with _client(hardened, "surrogates") as api:
        before = api.get(ADMIN_STATE).content
        for label, body in _surrogate_bodies(op):
            response = api.request(op.method, op.path, content=body, headers={"Content-Type": "application/json"})
            try:
                _assert_vendor_error(op, response, 400)
            except AssertionError as exc:
                raise AssertionError(f"{label}: {exc}") from None
        assert api.get(ADMIN_STATE).content == before


@pytest.mark.parametrize("op", [op for op in OPERATIONS if op.api != "mock_admin"], ids=str)
def test_prefer_and_headers_beyond_ascii_or_16_kib_are_refused_in_the_apis_shape(
    hardened: process.MockProcess, op: Operation
) -> None:
    body = json.dumps(op.example_body()).encode() if op.has_body else None
    base: dict[str, str | bytes] = {"Content-Type": "application/json", "Authorization": "Bearer prefer-and-headers"}
    for prefer in ("delay=²".encode("latin-1"), "code=٤٠٠".encode(), "code=4\u00a0".encode("latin-1")):
        response = _raw_request(hardened.url, op.method, op.path, body, {**base, "Prefer": prefer})
        _assert_vendor_error(op, response, 400)
    response = _raw_request(hardened.url, op.method, op.path, body, {**base, "X-Padding": "a" * 17_000})
    _assert_vendor_error(op, response, 431)


def test_several_prefer_headers_are_read_together(hardened: process.MockProcess) -> None:
    op = next(op for op in OPERATIONS if op.api == "cor" and op.template == "/workspaces/{id}")
    with _client(hardened, "two-prefers") as api:
        response = api.request(
            "PUT",
            op.path,
            json=op.example_body(),
            headers=[("Prefer", "delay=1"), ("Prefer", "code=404")],
        )
    assert response.status_code == 404, response.text


def test_a_websocket_upgrade_is_never_accepted_and_the_server_keeps_serving(hardened: process.MockProcess) -> None:
    # The served mock has no WebSocket library: an upgrade request is an ordinary request, answered as one.
    for path in ("/v2/integrations/workspaces/x", "/api/collaboration/workspaces", "/__mock__/health", "/"):
        host, port = hardened.url.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=10) as sock:
            sock.sendall(
                f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
                "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n".encode()
            )
            status = sock.recv(100).split(b" ", 2)[1]
            assert status != b"101" and not status.startswith(b"5"), (path, status)
    assert httpx.get(hardened.url + "/__mock__/health").status_code == 200


def test_a_websocket_scope_is_refused_by_the_app_itself() -> None:
    # Under a server that does speak WebSocket, the app closes the handshake (a 403 to the client).
    with TestClient(create_app()) as http, pytest.raises(WebSocketDisconnect) as closed:
        with http.websocket_connect("/v2/integrations/workspaces/x"):
            pass
    assert closed.value.code == 1008


def test_a_body_cut_short_changes_nothing_and_is_journaled_as_aborted(hardened: process.MockProcess) -> None:
    op = next(op for op in OPERATIONS if op.api == "cor" and op.template == "/workspaces/{id}")
    with _client(hardened, "aborted") as api:
        api.put(op.path, json=op.example_body())  # the tenant exists, with the example applied
        before = api.get(ADMIN_STATE).content
        whole = json.dumps({**op.example_body(), "name": "Never applied"}).encode()
        host, port = hardened.url.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=10) as sock:
            sock.sendall(
                f"PUT {op.path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer aborted\r\n"
                "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n".encode()
                + f"{len(whole):x}\r\n".encode()
                + whole
                + b"\r\n"  # the final zero-length chunk never comes
            )
        for _ in range(50):  # the server learns of the disconnect asynchronously
            entries = api.get("/__mock__/requests").json()["requests"]
            if entries[-1]["aborted"]:
                break
            time.sleep(0.1)
        assert entries[-1]["aborted"] is True and entries[-1]["status"] == 499
        assert api.get(ADMIN_STATE).content == before


def test_refused_and_forced_requests_never_create_or_evict_tenants(hardened: process.MockProcess) -> None:
    op = next(op for op in OPERATIONS if op.api == "cor" and op.template == "/workspaces/{id}")
    with _client(hardened, "kept-tenant") as kept:
        body = {**op.example_body(), "name": "Still here"}
        assert kept.put(op.path, json=body).status_code == 200
        for n in range(10):  # --max-tenants 3: ten new tenants would evict the one above
            with _client(hardened, f"refused-{n}") as other:
                other.put(op.path, content=b"{", headers={"Content-Type": "application/json"})
                other.put(op.path, json=body, headers={"Prefer": "code=429"})
                other.put(op.path + "-missing", json=body)
        assert "Still here" in kept.get(ADMIN_STATE).text


def _state_with(api: httpx.Client, api_name: str, change: Any) -> dict[str, Any]:
    state: dict[str, Any] = api.get(ADMIN_STATE).json()
    change(state[api_name])
    return {api_name: state[api_name]}


@pytest.mark.parametrize(
    ("api_name", "change"),
    [
        ("cor", lambda cor: cor["workspaces"]["MICROSOFT_TEAMS"]["TEAMS-WS-12345"].update(id=2**63)),
        (
            "cor",
            lambda cor: cor["workspaces"]["MICROSOFT_TEAMS"]["TEAMS-WS-12345"].update(
                updated_at="2025-01-15t10:00:00Z"
            ),
        ),
        ("nexudus", lambda nexudus: next(iter(nexudus["workspaces"].values())).update(BusinessId=2**31)),
        (
            "dreadnode",
            lambda dreadnode: next(iter(next(iter(dreadnode["organizations"].values()))["workspaces"].values())).update(
                updated_at="2025-01-15t10:00:00Z"
            ),
        ),
    ],
    ids=["cor-id-2^63", "cor-lower-case-t", "nexudus-int32", "dreadnode-lower-case-t"],
)
def test_state_that_would_break_a_response_is_refused(
    hardened: process.MockProcess, api_name: str, change: Any
) -> None:
    with _client(hardened, f"bad-state-{api_name}") as api:
        before = api.get(ADMIN_STATE).content
        response = api.put(ADMIN_STATE, json=_state_with(api, api_name, change))
        _assert_vendor_error(_ADMIN_OP, response, 400)
        assert api.get(ADMIN_STATE).content == before


def test_thousands_of_bad_keys_cost_a_bounded_answer(hardened: process.MockProcess) -> None:
    with _client(hardened, "bad-keys") as api:
        before = api.get(ADMIN_STATE).content
        for count in (10_000, 90_000):
            state = api.get(ADMIN_STATE).json()
            state["cor"]["workspaces"] = {f"{n}": {} for n in range(count)}  # no such source: all bad
            body = json.dumps({"cor": state["cor"]}, separators=(",", ":")).encode()
            assert len(body) <= MIB
            response = api.put(ADMIN_STATE, content=body, headers={"Content-Type": "application/json"})
            _assert_vendor_error(_ADMIN_OP, response, 400, max_bytes=64 * 1024)
            errors = response.json()["errors"]
            assert len(errors) == 101 and "and more" in errors[-1]["message"]
        assert api.get(ADMIN_STATE).content == before


def test_a_200000_item_body_gets_a_bounded_answer_and_others_are_served(hardened: process.MockProcess) -> None:
    op = next(op for op in OPERATIONS if op.api == "cor" and op.template == "/users/{id}/attach")
    body = b'{"metadata": {"source": "OKTA"}, "workspaces": [' + b",".join([b"{}"] * 200_000) + b"]}"
    with _client(hardened, "huge-attach") as api:
        response = api.put(op.path, content=body, headers={"Content-Type": "application/json"})
        _assert_vendor_error(op, response, 400, max_bytes=64 * 1024)
        assert api.get("/__mock__/health").status_code == 200


def test_integral_numbers_are_integers_and_int32_is_a_range(hardened: process.MockProcess) -> None:
    with _client(hardened, "integral") as api:
        nexudus = api.get(ADMIN_STATE).json()["nexudus"]
        workspace = next(iter(nexudus["workspaces"].values()))
        body = {key: workspace[key] for key in ("BusinessId", "AdministratorId", "Name")}
        response = api.put("/api/collaboration/workspaces", json={**body, "Id": float(workspace["Id"])})
        assert response.status_code == 200, response.text
        response = api.put("/api/collaboration/workspaces", json={**body, "Id": workspace["Id"], "BusinessId": 2**31})
        assert response.status_code == 400 and "BusinessId" in response.text
        user = {"metadata": {"source": "OKTA"}, "role_id": 2.0}
        assert api.put("/v2/integrations/users/OKTA-USER-12345", json=user).status_code == 200
        assert '"role_id": 2,' in api.get(ADMIN_STATE).text.replace('"role_id": 2}', '"role_id": 2,')
        assert '"role_id": 2.0' not in api.get(ADMIN_STATE).text


def test_a_thousand_clients_that_never_finish_their_headers_are_dropped(hardened: process.MockProcess) -> None:
    host, port = hardened.url.removeprefix("http://").split(":")
    stalled = []
    try:
        for _ in range(1000):
            sock = socket.create_connection((host, int(port)), timeout=10)
            sock.sendall(b"PUT /v2/integrations/workspaces/x HTTP/1.1\r\nHost: x\r\n")  # and never the rest
            stalled.append(sock)
        assert httpx.get(hardened.url + "/__mock__/health", timeout=10).status_code == 200
        for sock in stalled:  # --header-timeout 1: each is closed by the server
            assert sock.recv(100) == b""
    finally:
        for sock in stalled:
            sock.close()


def test_the_journal_keeps_bounded_entries_and_the_log_escapes_control_characters(
    hardened: process.MockProcess,
) -> None:
    with _client(hardened, "journal-bounds") as api:
        for _ in range(300):
            api.put(
                "/v2/integrations/workspaces/TEAMS-WS-12345",
                json={"metadata": {"source": "MICROSOFT_TEAMS"}},
                headers={f"X-Big-{k}": "v" * 3000 for k in range(5)},
            )
        entries = api.get("/__mock__/requests").json()["requests"]
        api.put("/v2/integrations/workspaces/TEAMS-WS-12345%0aFORGED-299", json={})
    assert 0 < len(entries) <= 200
    assert all(sum(len(k) + len(v) for k, v in e["headers"].items()) <= 4096 for e in entries)
    assert all(e["headers_truncated"] for e in entries)
    assert sum(len(json.dumps(e)) for e in entries) < 2 * 512 * 1024
    for _ in range(50):  # the log is read from the server's output as it comes
        if "FORGED-299" in "".join(hardened.output):
            break
        time.sleep(0.1)
    assert not any(line.startswith("FORGED") for line in "".join(hardened.output).splitlines())
    assert "\\x0aFORGED-299" in "".join(hardened.output)


# -- the control API's roles, and files that must never take the mock down ------------------------------------

AUTH_FILE = """\
admin-token: {tenant: shared, role: Admin, admin: true}
reader-token: {tenant: shared, role: Reader}
"""


@pytest.fixture(scope="module")
def strict(tmp_path_factory: pytest.TempPathFactory) -> Iterator[process.MockProcess]:
    auth = tmp_path_factory.mktemp("auth") / "auth.yaml"
    auth.write_text(AUTH_FILE, encoding="utf-8")
    server = _limited_mock("--validate-responses", "--auth-file", str(auth))
    yield server
    server.stop()
    assert "Traceback" not in "".join(server.output)


def test_roles_are_checked_before_the_body_and_the_control_api_needs_admin(strict: process.MockProcess) -> None:
    ws = "/api/v1/org/acme/ws/"
    with _client(strict, "reader-token") as reader, _client(strict, "admin-token") as admin:
        state = reader.get(ADMIN_STATE)
        assert state.status_code == 200
        assert reader.get("/__mock__/requests").status_code == 200
        org, workspace = next(
            (slug, key) for slug, o in state.json()["dreadnode"]["organizations"].items() for key in o["workspaces"]
        )
        ws = f"/api/v1/org/{org}/ws/{workspace}"
        assert reader.put(ws, json={"name": ""}).status_code == 403  # invalid too, but forbidden first
        for method, path, body in (
            ("PUT", ADMIN_STATE, state.json()),
            ("POST", "/__mock__/reset", None),
            ("POST", "/__mock__/reset?all=true", None),
            ("DELETE", "/__mock__/requests", None),
        ):
            response = reader.request(method, path, json=body)
            _assert_vendor_error(_ADMIN_OP, response, 403)
        assert reader.get(ADMIN_STATE).content == state.content
        assert admin.post("/__mock__/reset?all=true").status_code == 200
        assert admin.put(ADMIN_STATE, json=state.json()).status_code == 200


@pytest.mark.parametrize(
    ("option", "content", "problem"),
    [
        ("--fixtures", b"a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n", "alias"),
        ("--fixtures", b"cor: {company_id: 1}\n\xff\xfe\n", "not UTF-8"),
        ("--auth-file", b"token: {tenant: t, role: 7}\n", "role: must be a str"),
        ("--auth-file", b"' token': {tenant: t}\n", "whitespace"),
        ("--auth-file", b"token: &t {tenant: t}\nother: *t\n", "alias"),
    ],
    ids=["alias-bomb", "not-utf-8", "role-not-a-string", "credential-whitespace", "auth-alias"],
)
def test_bad_files_stop_start_up_fast_with_status_2(tmp_path: Path, option: str, content: bytes, problem: str) -> None:
    path = tmp_path / "file.yaml"
    path.write_bytes(content)
    python = str(Path(__file__).resolve().parents[1] / ".venv/bin/python")
    result = subprocess.run(
        ["prlimit", f"--as={ADDRESS_SPACE}", python, "-m", "mock_server", "--port", "0", option, str(path)],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 2, result.stderr[-2000:]
    assert str(path) in result.stderr and problem in result.stderr, result.stderr[-2000:]
    assert "Traceback" not in result.stderr

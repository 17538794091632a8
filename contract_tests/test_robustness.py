"""Bad input, limits, concurrency and isolation, over real HTTP, for every operation of every API.

Schemathesis always sends well-formed JSON; these are the inputs it never sends. Every answer must be the
documented 4xx in the API's own error shape: never a 5xx, never a traceback, and never a change of state.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from openapi_schema_validator import OAS30Validator

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


def _assert_vendor_error(op: Operation, response: httpx.Response, expected: int) -> None:
    assert response.status_code == expected, (str(op), response.status_code, response.text[:300])
    assert "Traceback" not in response.text
    assert len(response.content) < 4096, "an error must not echo the whole input"
    OAS30Validator(op.schema_for(expected)).validate(response.json())


@pytest.fixture(scope="module")
def api(mock_server: MockProcess) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=mock_server.url, headers={"Authorization": "Bearer robustness"}, timeout=30) as client:
        client.post("/__mock__/reset")
        yield client


@pytest.fixture(scope="module")
def state_before(api: httpx.Client) -> bytes:
    return api.get("/__mock__/state").content


@pytest.mark.parametrize("op", WITH_BODY, ids=str)
def test_every_bad_body_gets_the_documented_4xx_in_the_vendors_shape(
    api: httpx.Client, state_before: bytes, op: Operation
) -> None:
    for label, headers, body, expected in _bad_bodies(op):
        response = api.request(op.method, op.path, content=body, headers=headers)
        try:
            _assert_vendor_error(op, response, expected)
        except AssertionError as exc:
            raise AssertionError(f"{label}: {exc}") from None


def test_an_oversized_chunked_body_is_refused_without_reading_it_all(api: httpx.Client) -> None:
    for op in WITH_BODY:
        sent = 0

        def chunks() -> Iterator[bytes]:
            nonlocal sent
            for _ in range(64):  # 4 MiB in all, announced by no Content-Length
                sent += 64 * 1024
                yield b" " * (64 * 1024)

        response = api.request(op.method, op.path, content=chunks(), headers={"Content-Type": "application/json"})
        _assert_vendor_error(op, response, 413)


def _raw_request(base_url: str, method: str, path: str, body: bytes | None, headers: dict[str, str]) -> httpx.Response:
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
def test_bad_path_ids_are_400_or_404(mock_server: MockProcess, op: Operation) -> None:
    body = json.dumps(op.example_body()).encode() if op.has_body else None
    headers = {"Content-Type": "application/json", "Authorization": "Bearer robustness"}
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
def test_undeclared_methods_are_405_with_allow(api: httpx.Client, op: Operation) -> None:
    for method in ("DELETE", "PATCH", "POST", "OPTIONS", "TRACE"):
        if method in op.declared:
            continue
        response = api.request(method, op.path)
        _assert_vendor_error(op, response, 405)
        assert set(response.headers["Allow"].split(", ")) == op.declared
        assert "access-control-allow-origin" not in response.headers


@pytest.mark.parametrize("op", OPERATIONS, ids=str)
def test_unknown_paths_are_404_in_the_shape_of_their_api(api: httpx.Client, op: Operation) -> None:
    response = api.get(op.base_path + "/no/such/route")
    _assert_vendor_error(op, response, 404)


def test_the_bad_input_battery_left_the_state_byte_identical(api: httpx.Client, state_before: bytes) -> None:
    # Runs after the battery above (pytest keeps file order): nothing it sent may have changed anything.
    assert api.get("/__mock__/state").content == state_before


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
    server = MockProcess(via_make=False)
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

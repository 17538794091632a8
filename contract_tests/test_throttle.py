"""Rate limits (``--rate-limits``): the core's sliding windows on a clock the test sets.

Time never passes by itself here: every test drives an injected clock, so the order of events is exact.
"""

from __future__ import annotations

import pytest

from mock_server.core.errors import Throttled
from mock_server.core.throttle import WRITES, RateLimit, Throttle


class Clock:
    """Monotonic seconds that move only when the test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now = round(self.now + seconds, 6)


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

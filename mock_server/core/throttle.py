"""Rate limits per credential, as a vendor declares them (``Vendor.rate_limits``); off unless ``--rate-limits``.

Each limit is a sliding window: at most ``requests`` requests in any ``seconds``-long span, counted per API
and tenant (that is, per credential). A request over any limit raises :class:`~.errors.Throttled`, which the
vendor's renderer turns into its own answer (429 for most, 409 with an empty body for Nexudus); a refused
request is not counted, so a client that waits as told gets through. The clock is injected, so tests decide
what time it is instead of sleeping.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .errors import Throttled

#: Methods that change state: what a vendor's "writes" limit counts.
WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
#: Windows kept before the least recently used is dropped, so a flood of distinct tokens cannot exhaust memory.
DEFAULT_MAX_WINDOWS = 10_000


@dataclass(frozen=True)
class RateLimit:
    """At most ``requests`` requests per ``seconds``, of the ``methods`` given (None: every method).

    ``retry_after`` is the Retry-After a vendor always sends; None sends the whole seconds until the window
    lets the next request through.
    """

    requests: int
    seconds: float
    methods: frozenset[str] | None = None
    retry_after: int | None = None

    def __post_init__(self) -> None:
        if self.requests < 1 or self.seconds <= 0:
            raise ValueError("a rate limit needs at least one request per positive number of seconds")

    def counts(self, method: str) -> bool:
        return self.methods is None or method.upper() in self.methods

    def wait(self, oldest: float, now: float) -> int:
        """The Retry-After, in whole seconds, of a full window whose oldest request came at ``oldest``."""
        return self.retry_after or max(1, math.ceil(oldest + self.seconds - now))


def refuse(waits: Sequence[int]) -> Throttled:
    """The error for a request over one or more limits: it may retry once the longest wait is over."""
    seconds = max(waits)
    return Throttled(f"too many requests; retry after {seconds} s", headers={"Retry-After": str(seconds)})


class Throttle:
    """Sliding windows per (API, tenant, limit), under one lock; ``clock`` gives monotonic seconds."""

    def __init__(self, clock: Callable[[], float] = time.monotonic, *, max_windows: int = DEFAULT_MAX_WINDOWS) -> None:
        self._clock = clock
        self._max_windows = max_windows
        self._windows: OrderedDict[tuple[str, str, int], deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def hit(self, api: str, tenant: str, method: str, limits: Sequence[RateLimit]) -> None:
        """Count one request, or raise :class:`Throttled` (with ``Retry-After``) if it is over a limit."""
        now = self._clock()
        with self._lock:
            applicable = [(index, limit) for index, limit in enumerate(limits) if limit.counts(method)]
            windows = [(self._window((api, tenant, index), limit), limit) for index, limit in applicable]
            waits = []
            for window, limit in windows:
                while window and window[0] <= now - limit.seconds:
                    window.popleft()
                if len(window) >= limit.requests:
                    waits.append(limit.wait(window[0], now))
            if waits:
                raise refuse(waits)
            for window, _ in windows:
                window.append(now)

    def _window(self, key: tuple[str, str, int], limit: RateLimit) -> deque[float]:
        window = self._windows.get(key)
        if window is None:
            window = self._windows[key] = deque(maxlen=limit.requests)
            while len(self._windows) > self._max_windows:
                self._windows.popitem(last=False)
        else:
            self._windows.move_to_end(key)
        return window

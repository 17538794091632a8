"""In-memory state: one tenant per credential, each with its own copy of the fixtures and its own journal.

Every read-modify-write holds the store's lock, so concurrent requests lose no update. Memory is bounded
three ways: the number of tenants (the least recently used is evicted), each tenant's state (a write that
would take it past ``state_budget`` bytes of JSON is refused and undone) and each journal (``journal_budget``
bytes; the oldest entries go first). A tenant is created only by a write that was accepted: reads of a tenant
that does not exist yet see the defaults, and the journal of its refused requests waits in a small bounded
area that never evicts a tenant.
"""

from __future__ import annotations

import copy
import json
import logging
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol

from .errors import PayloadTooLarge
from .throttle import RateLimit, Throttle

log = logging.getLogger("mock_server")

DEFAULT_MAX_TENANTS = 1000
DEFAULT_JOURNAL_SIZE = 200
DEFAULT_STATE_BUDGET = 4 * 1024 * 1024
DEFAULT_JOURNAL_BUDGET = 512 * 1024
#: How long a shared store keeps a tenant after its last use (the in-memory store keeps it while it runs).
DEFAULT_TENANT_TTL = 24 * 3600
#: Journals kept for credentials that have no tenant yet (their requests were all refused).
PENDING_JOURNALS = 100
#: What one write may add to a state, at most, beyond the bytes of its request: timestamps, names, keys.
WRITE_OVERHEAD = 1024


class RateWindows(Protocol):
    """Counts requests against rate limits (:class:`~.throttle.Throttle` in memory); raises ``Throttled``."""

    def hit(self, api: str, tenant: str, method: str, limits: Sequence[RateLimit]) -> None: ...


class StateStore(Protocol):
    """Everything the mock keeps: tenants' state, their journals, their rate-limit windows.

    :class:`Store` keeps it in this process; :class:`~.redis_store.RedisStore` in a Redis shared by several
    processes. ``write`` is one read-modify-write: what the section changes is kept only if it ends without
    an error.
    """

    state_budget: int

    def write(self, key: str, api: str, *, request_bytes: int = 0) -> AbstractContextManager[Any]: ...
    def snapshot(self, key: str) -> dict[str, Any]: ...
    def replace(self, key: str, state: Mapping[str, Any]) -> None: ...
    def reset(self, key: str) -> None: ...
    def reset_all(self) -> None: ...
    def record(self, key: str, entry: Any, cost: int) -> None: ...
    def journal(self, key: str) -> list[Any]: ...
    def clear_journal(self, key: str) -> None: ...
    def has_tenant(self, key: str) -> bool: ...
    @property
    def tenant_count(self) -> int: ...
    def throttle(self, clock: Callable[[], float]) -> RateWindows: ...


@dataclass
class Journal:
    """A tenant's most recent requests (whatever the pipeline records), within an entry count and a byte budget."""

    size: int
    budget: int
    entries: deque[tuple[int, Any]] = field(default_factory=deque)
    used: int = 0

    def append(self, entry: Any, cost: int) -> None:
        self.entries.append((cost, entry))
        self.used += cost
        while self.entries and (len(self.entries) > self.size or self.used > self.budget):
            self.used -= self.entries.popleft()[0]

    def clear(self) -> None:
        self.entries.clear()
        self.used = 0

    def list(self) -> list[Any]:
        return [entry for _, entry in self.entries]


@dataclass
class Tenant:
    key: str
    state: dict[str, Any]
    journal: Journal
    #: An upper bound of the JSON size of ``state``, exact after every measurement.
    size: int = 0
    created: float = field(default_factory=time.time)


class Store:
    """All tenants' state. ``defaults`` maps API name to its default fixture data."""

    def __init__(
        self,
        defaults: Mapping[str, Any],
        *,
        max_tenants: int = DEFAULT_MAX_TENANTS,
        journal_size: int = DEFAULT_JOURNAL_SIZE,
        state_budget: int = DEFAULT_STATE_BUDGET,
        journal_budget: int = DEFAULT_JOURNAL_BUDGET,
    ) -> None:
        if max_tenants < 1:
            raise ValueError("max_tenants must be at least 1")
        self._defaults = dict(defaults)
        self._default_size = _json_size(self._defaults)
        if self._default_size > state_budget:
            raise ValueError(f"the default fixtures ({self._default_size} bytes) exceed the state budget")
        self._max_tenants = max_tenants
        self._journal_size = journal_size
        self.state_budget = state_budget
        self.journal_budget = journal_budget
        self._tenants: OrderedDict[str, Tenant] = OrderedDict()
        self._pending: OrderedDict[str, Journal] = OrderedDict()
        # Reentrant so that a write section may call helpers that read.
        self._lock = threading.RLock()

    def _new_journal(self) -> Journal:
        return Journal(self._journal_size, self.journal_budget)

    def _tenant(self, key: str) -> Tenant:
        """The tenant for ``key``, or a new one from the defaults that :meth:`_keep` must add. Caller holds the lock."""
        tenant = self._tenants.get(key)
        if tenant is None:
            return Tenant(key, copy.deepcopy(self._defaults), self._new_journal(), self._default_size)
        self._tenants.move_to_end(key)
        return tenant

    def _keep(self, tenant: Tenant) -> None:
        """Add a tenant created by an accepted write, adopting the journal of its refused requests."""
        if tenant.key in self._tenants:
            return
        pending = self._pending.pop(tenant.key, None)
        if pending is not None:
            tenant.journal = pending
        self._tenants[tenant.key] = tenant
        while len(self._tenants) > self._max_tenants:
            evicted, _ = self._tenants.popitem(last=False)
            log.info("tenant %s evicted: more than %d tenants (--max-tenants)", evicted, self._max_tenants)

    @contextmanager
    def write(self, key: str, api: str, *, request_bytes: int = 0) -> Iterator[Any]:
        """Hold the lock and yield the tenant's live state of ``api`` for a read-modify-write.

        Handlers check everything before they change anything, so an error leaves the state as it was. A
        write can add at most about its request's size to the state; only when that could cross the state
        budget is the state measured (and, past the budget, put back as it was and the write refused).
        """
        with self._lock:
            tenant = self._tenant(key)
            bound = tenant.size + 2 * request_bytes + WRITE_OVERHEAD
            if bound <= self.state_budget:
                yield tenant.state[api]
                tenant.size = bound
                self._keep(tenant)
                return
            before = json.dumps(tenant.state[api])
            yield tenant.state[api]
            size = _json_size(tenant.state)
            if size > self.state_budget:
                tenant.state[api] = json.loads(before)
                raise PayloadTooLarge(
                    f"the change would take this tenant's state past its budget of {self.state_budget} bytes"
                )
            tenant.size = size
            self._keep(tenant)

    def snapshot(self, key: str) -> dict[str, Any]:
        """A deep copy of the tenant's whole state (the defaults for a tenant not created yet)."""
        with self._lock:
            tenant = self._tenants.get(key)
            return copy.deepcopy(tenant.state if tenant is not None else self._defaults)

    def replace(self, key: str, state: Mapping[str, Any]) -> None:
        """Replace the tenant's state of the APIs ``state`` names; the others keep theirs."""
        with self._lock:
            tenant = self._tenant(key)
            new_state = {**tenant.state, **state}
            size = _json_size(new_state)
            if size > self.state_budget:
                raise PayloadTooLarge(f"the state is {size} bytes, over this tenant's budget of {self.state_budget}")
            tenant.state = copy.deepcopy(new_state)
            tenant.size = size
            self._keep(tenant)

    def reset(self, key: str) -> None:
        with self._lock:
            tenant = self._tenants.get(key)
            if tenant is not None:
                tenant.state = copy.deepcopy(self._defaults)
                tenant.size = self._default_size

    def reset_all(self) -> None:
        with self._lock:
            self._tenants.clear()
            self._pending.clear()

    def record(self, key: str, entry: Any, cost: int) -> None:
        """Journal a request of ``key`` (``cost``: its bytes); never creates a tenant."""
        with self._lock:
            tenant = self._tenants.get(key)
            if tenant is not None:
                tenant.journal.append(entry, cost)
                return
            journal = self._pending.get(key)
            if journal is None:
                journal = self._pending[key] = self._new_journal()
                while len(self._pending) > PENDING_JOURNALS:
                    self._pending.popitem(last=False)
            journal.append(entry, cost)

    def _journal(self, key: str) -> Journal | None:
        tenant = self._tenants.get(key)
        return tenant.journal if tenant is not None else self._pending.get(key)

    def journal(self, key: str) -> list[Any]:
        with self._lock:
            journal = self._journal(key)
            return journal.list() if journal is not None else []

    def clear_journal(self, key: str) -> None:
        with self._lock:
            journal = self._journal(key)
            if journal is not None:
                journal.clear()

    def has_tenant(self, key: str) -> bool:
        with self._lock:
            return key in self._tenants

    @property
    def tenant_count(self) -> int:
        with self._lock:
            return len(self._tenants)

    def throttle(self, clock: Callable[[], float]) -> RateWindows:
        """Rate-limit windows in this process, timed by ``clock``."""
        return Throttle(clock)


def _json_size(value: Any) -> int:
    return len(json.dumps(value, separators=(",", ":")))

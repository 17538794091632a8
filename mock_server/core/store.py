"""In-memory state: one tenant per credential, each with its own copy of the fixtures and its own journal.

Every read-modify-write holds the store's lock, so concurrent requests lose no update. The number of
tenants is bounded; the least recently used is evicted, so a flood of distinct tokens cannot exhaust
memory.
"""

from __future__ import annotations

import copy
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

DEFAULT_MAX_TENANTS = 1000
DEFAULT_JOURNAL_SIZE = 200


@dataclass
class Tenant:
    key: str
    state: dict[str, Any]
    journal: deque[dict[str, Any]]
    created: float = field(default_factory=time.time)


class Store:
    """All tenants' state. ``defaults`` maps API name to its default fixture data."""

    def __init__(
        self,
        defaults: Mapping[str, Any],
        *,
        max_tenants: int = DEFAULT_MAX_TENANTS,
        journal_size: int = DEFAULT_JOURNAL_SIZE,
    ) -> None:
        if max_tenants < 1:
            raise ValueError("max_tenants must be at least 1")
        self._defaults = dict(defaults)
        self._max_tenants = max_tenants
        self._journal_size = journal_size
        self._tenants: OrderedDict[str, Tenant] = OrderedDict()
        # Reentrant so that a write section may call helpers that read.
        self._lock = threading.RLock()

    def _tenant(self, key: str) -> Tenant:
        """The tenant for ``key``, created from the defaults on first use. Caller holds the lock."""
        tenant = self._tenants.get(key)
        if tenant is None:
            tenant = Tenant(key, copy.deepcopy(self._defaults), deque(maxlen=self._journal_size))
            self._tenants[key] = tenant
            while len(self._tenants) > self._max_tenants:
                self._tenants.popitem(last=False)
        else:
            self._tenants.move_to_end(key)
        return tenant

    @contextmanager
    def write(self, key: str, api: str) -> Iterator[Any]:
        """Hold the lock and yield the tenant's live state of ``api`` for a read-modify-write.

        Handlers check everything before they change anything, so an error leaves the state as it was.
        """
        with self._lock:
            yield self._tenant(key).state[api]

    def snapshot(self, key: str) -> dict[str, Any]:
        """A deep copy of the tenant's whole state, safe to serialise outside the lock."""
        with self._lock:
            return copy.deepcopy(self._tenant(key).state)

    def replace(self, key: str, state: Mapping[str, Any]) -> None:
        """Replace the tenant's state of the APIs ``state`` names; the others keep theirs."""
        with self._lock:
            tenant = self._tenant(key)
            for api, data in state.items():
                tenant.state[api] = copy.deepcopy(data)

    def reset(self, key: str) -> None:
        with self._lock:
            self._tenant(key).state = copy.deepcopy(self._defaults)

    def reset_all(self) -> None:
        with self._lock:
            self._tenants.clear()

    def record(self, key: str, entry: dict[str, Any]) -> None:
        with self._lock:
            self._tenant(key).journal.append(entry)

    def journal(self, key: str) -> list[dict[str, Any]]:
        with self._lock:
            return list(self._tenant(key).journal)

    def clear_journal(self, key: str) -> None:
        with self._lock:
            self._tenant(key).journal.clear()

    @property
    def tenant_count(self) -> int:
        with self._lock:
            return len(self._tenants)

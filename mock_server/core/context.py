"""What a handler gets besides its parameters: the caller's tenant state, identity and the clock."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from .auth import Principal
from .store import StateStore
from .vendor import Vendor


@dataclass(frozen=True)
class Runtime:
    """Everything the server holds for its lifetime; handlers see it only through :class:`Context`."""

    store: StateStore
    vendors: Mapping[str, Vendor]
    version: str


@dataclass(frozen=True)
class Context:
    runtime: Runtime
    api: str
    principal: Principal
    #: The request's size in bytes, which bounds how much its write can add to the state.
    request_bytes: int = 0

    @contextmanager
    def state(self) -> Iterator[Any]:
        """The caller's state of this API, under the store lock, for one read-modify-write."""
        with self.runtime.store.write(self.principal.tenant, self.api, request_bytes=self.request_bytes) as state:
            yield state

    @staticmethod
    def now() -> datetime:
        return datetime.now(UTC)

"""uvicorn's HTTP protocol with two guards a shared server needs: a deadline for request headers, and a cap on them.

uvicorn keeps every header a client sends and waits as long as it likes for them to end, so a thousand clients
that never finish their headers hold a thousand connections, and one endless header holds any amount of
memory. Here a connection whose headers are not complete within ``header_timeout`` seconds is closed, and
headers past ``MAX_HEADER_BYTES`` are dropped and the request marked, so that the app answers it 431 in its
API's own error shape (``RequestLimits`` in the pipeline).
"""

from __future__ import annotations

import asyncio
from typing import Any, cast

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from .core.pipeline import HEADERS_TOO_LARGE, MAX_HEADER_BYTES


def guarded_protocol(header_timeout: float) -> type[HttpToolsProtocol]:
    """The protocol class to hand uvicorn as ``http=``."""

    class GuardedHttpToolsProtocol(HttpToolsProtocol):
        header_bytes = 0
        header_deadline: asyncio.TimerHandle | None = None

        def connection_made(self, transport: Any) -> None:
            super().connection_made(transport)
            self._arm()

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            super().connection_lost(exc)

        def on_message_begin(self) -> None:
            super().on_message_begin()
            self.header_bytes = 0
            self._arm()

        def on_url(self, url: bytes) -> None:
            self.header_bytes += len(url)
            if self.header_bytes <= MAX_HEADER_BYTES:
                super().on_url(url)
            else:
                self._mark_too_large()

        def on_header(self, name: bytes, value: bytes) -> None:
            self.header_bytes += len(name) + len(value)
            if self.header_bytes <= MAX_HEADER_BYTES:
                super().on_header(name, value)
            else:
                self._mark_too_large()

        def _mark_too_large(self) -> None:
            scope = cast(dict[str, Any], self.scope)
            scope.setdefault("extensions", {})[HEADERS_TOO_LARGE] = True

        def on_headers_complete(self) -> None:
            self._disarm()
            super().on_headers_complete()

        def _arm(self) -> None:
            if self.header_deadline is None:
                self.header_deadline = self.loop.call_later(header_timeout, self._headers_too_slow)

        def _disarm(self) -> None:
            if self.header_deadline is not None:
                self.header_deadline.cancel()
                self.header_deadline = None

        def _headers_too_slow(self) -> None:
            self.header_deadline = None
            self.transport.close()

    return GuardedHttpToolsProtocol

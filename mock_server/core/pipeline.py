"""The request pipeline, read top to bottom in :meth:`Pipeline.handle` (Prism's order, see stoplightio/prism
``packages/core/src/factory.ts``; stripe-mock's ``HandleRequest`` reads the same way):

request limits → route → authenticate → rate limits → authorize (roles) → parameters → body (bounded, parsed,
validated) → ``Prefer`` → handler (a pure state change) → response validation (in tests) → render errors in
the API's own envelope → journal and access log.

Every stage is the mock's own, prepared once per operation at start-up (``routing.Router``): connexion's
middleware stack routed each request twice, ran security, validation and error handling as separate layers
whose order lived in a list, and needed private attributes to prepare its work once. connexion still serves
each spec's documentation (``{base path}/openapi.json`` and Swagger UI at ``{base path}/ui/``) through its
public ``ConnexionMiddleware`` with only its Swagger UI middleware.
"""

from __future__ import annotations

import asyncio
import importlib
import inspect
import json
import logging
import re
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

from . import examples, prefer
from .auth import Authenticator, Principal, authenticate, mask_headers
from .context import Context, Runtime
from .errors import ClientDisconnected, HeadersTooLarge, InternalError, MockError, Unauthorized, truncate
from .routing import Operation, Router
from .store import RateWindows
from .validation import check_content_type, check_parameters, check_response, parse_body, query_values, read_body
from .vendor import Vendor

log = logging.getLogger("mock_server")
access_log = logging.getLogger("mock_server.access")

#: All request headers together, names and values; past it a request is answered 431 in its API's shape.
MAX_HEADER_BYTES = 16 * 1024
#: Set in ``scope["extensions"]`` by the HTTP protocol when it stopped keeping headers past the limit.
HEADERS_TOO_LARGE = "mock_server.headers_too_large"
#: The journal keeps at most this much of each body, of the request headers, of each header value and path.
JOURNAL_BODY_BYTES = 4096
JOURNAL_HEADER_BYTES = 4096
JOURNAL_HEADER_VALUE = 256
JOURNAL_PATH = 2048

Reply = tuple[int, Any, dict[str, str]]


@dataclass
class Request:
    """What the pipeline learns about a request as it goes; the journal records it at the end."""

    method: str
    path: str
    headers: dict[str, str]
    header_bytes: int
    principal: Principal | None = None
    body: bytes = b""
    aborted: bool = False


class Endpoint:
    """One operation's handler: builds its arguments and calls it.

    Handlers take a :class:`Context` first, then the operation's parameters by name (``body`` for the
    request body), and return ``(body, status)`` or ``(body, status, headers)``; a JSON-able body is sent as
    JSON, a ``bytes`` body as it is, with the ``Content-Type`` its headers give.
    """

    def __init__(self, handler: Callable[..., Any], operation: Operation, runtime: Runtime) -> None:
        self.handler = handler
        self.operation = operation
        self.runtime = runtime
        self.arguments = tuple(inspect.signature(handler).parameters)[1:]

    def __call__(self, context: Context, path: Mapping[str, Any], query: Mapping[str, Any], body: Any) -> Reply:
        sources = {**query, **path, "body": body}
        reply = self.handler(context, **{name: sources[name] for name in self.arguments if name in sources})
        content, status, *rest = reply
        return status, content, rest[0] if rest else {}


class Pipeline:
    """The mock as an ASGI app: every API's operations, the control API, and each spec's documentation."""

    def __init__(
        self,
        *,
        vendors: Mapping[str, Vendor],
        control: Vendor,
        runtime: Runtime,
        authenticator: Authenticator,
        docs: ASGIApp,
        throttle: RateWindows | None = None,
        validate_responses: bool = False,
        access_log: bool = False,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.runtime = runtime
        self.sleep = sleep
        self.authenticator = authenticator
        self.docs = docs
        self.throttle = throttle
        self.validate_responses = validate_responses
        self.access_log = access_log
        self.router = Router(vendors.values(), fallback=control)
        self.control = control
        self.endpoints = {
            id(operation): Endpoint(_handler(operation), operation, runtime) for operation in self.router.operations()
        }
        self.docs_paths = tuple(
            (vendor.base_path + "/openapi.json", vendor.base_path + "/ui") for vendor in [*vendors.values(), control]
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            path: str = scope["path"]
            if any(path == spec or path == ui or path.startswith(ui + "/") for spec, ui in self.docs_paths):
                await self.docs(scope, receive, send)
            else:
                await self.serve(scope, receive, send)
        elif scope["type"] == "websocket":
            # No API here speaks WebSocket: refuse the handshake (the server answers it with 403).
            await receive()
            await send({"type": "websocket.close", "code": 1008})
        elif scope["type"] == "lifespan":
            while (message := await receive())["type"] != "lifespan.shutdown":
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
            await send({"type": "lifespan.shutdown.complete"})

    async def serve(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = time.perf_counter()
        header_bytes = sum(len(name) + len(value) for name, value in scope["headers"])
        headers = _headers(scope["headers"])
        request = Request(scope["method"], scope["path"], headers, header_bytes)
        try:
            status, body, response_headers = await self.handle(scope, receive, request)
        except ClientDisconnected:
            request.aborted = True
            status, body, response_headers = 499, None, {}
        except MockError as error:
            status, body, response_headers = self.render(request.path, error)
        except Exception as error:  # the traceback goes to the log only; the client gets its API's 500
            log.error("unhandled error on %s %s", _printable(request.method), _printable(request.path), exc_info=error)
            status, body, response_headers = self.render(request.path, InternalError("internal error"))
        # bytes are a document the handler made itself (the console's HTML), typed by its own headers.
        raw = isinstance(body, bytes)
        content = body if raw else b"" if body is None else json.dumps(body).encode()
        if not request.aborted:
            await _respond(send, status, content, response_headers, json_body=body is not None and not raw)
        self.journal(scope, request, status, content, (time.perf_counter() - started) * 1000)

    async def handle(self, scope: Scope, receive: Receive, request: Request) -> Reply:
        """The stages, in order; each raises the error its API answers."""
        if scope.get("extensions", {}).get(HEADERS_TOO_LARGE) or request.header_bytes > MAX_HEADER_BYTES:
            raise HeadersTooLarge(f"the request headers are larger than {MAX_HEADER_BYTES} bytes")
        operation, path_params = self.router.route(request.method, request.path)
        vendor = operation.vendor
        principal = request.principal = authenticate(self.authenticator, request.headers, operation.security)
        if self.throttle is not None and vendor.rate_limits and operation.security:
            self.throttle.hit(vendor.base_path, principal.tenant, request.method, vendor.rate_limits)
        if vendor.authorize is not None and operation.security:
            vendor.authorize(principal, operation.operation_id)
        query = query_values(operation, scope.get("query_string", b""))
        check_parameters(operation, path_params, query)
        body = None
        if operation.consumes:
            check_content_type(operation, request.headers)
            request.body = await read_body(receive, request.headers)
            body = parse_body(operation, request.body)
        preference = prefer.parse(request.headers.get("prefer"))
        if preference.delay_ms:
            await self.sleep(preference.delay_ms / 1000)
        if preference.forces_response:
            content, status, headers = prefer.forced_response(operation.responses, preference)
            reply: Reply = (status, content, headers)
        else:
            context = Context(
                self.runtime, vendor.name, principal, request_bytes=request.header_bytes + len(request.body)
            )
            try:
                reply = self.endpoints[id(operation)](context, path_params, query, body)
            except MockError as error:
                reply = self.render(request.path, error)
        if self.validate_responses:
            check_response(operation, reply[0], reply[1])
        return reply

    def render(self, path: str, error: MockError) -> Reply:
        """An error in the envelope of the API the path is under."""
        vendor = self.router.vendor_for(path)
        if isinstance(error, Unauthorized) and vendor.www_authenticate:
            error.headers.setdefault("WWW-Authenticate", vendor.www_authenticate)
        status, body, headers = vendor.render_error(error)
        return status, body, {**error.headers, **headers}

    def journal(self, scope: Scope, request: Request, status: int, content: bytes, elapsed_ms: float) -> None:
        """Record an API request in its tenant's journal (not the control API's own calls); log it if asked.

        The request path pays only for keeping bounded slices of what it already has; the entry is shaped
        (decoded, masked, timestamps formatted) when the journal is read.
        """
        principal = request.principal
        if request.aborted:
            status = 499
        if self.access_log:
            tenant = principal.tenant if principal is not None else "-"
            path = _printable(truncate(request.path, 200))
            access_log.info("%s %s %d %.1fms tenant=%s", _printable(request.method), path, status, elapsed_ms, tenant)
        if principal is None or request.path.startswith(self.control.base_path):
            return
        entry = JournalEntry(
            request.method,
            request.path[: JOURNAL_PATH + 1],
            scope.get("query_string", b"")[: JOURNAL_PATH + 1],
            status,
            time.time(),
            elapsed_ms,
            request.headers,
            request.body[: JOURNAL_BODY_BYTES + 1],
            request.aborted,
            content[: JOURNAL_BODY_BYTES + 1],
        )
        self.runtime.store.record(principal.tenant, entry, entry.size())


@dataclass(frozen=True, slots=True)
class JournalEntry:
    """One journaled request, kept as bounded slices of what the request path already had."""

    method: str
    path: str
    query: bytes
    status: int
    time: float
    duration_ms: float
    headers: dict[str, str]
    body: bytes
    aborted: bool
    response: bytes

    def size(self) -> int:
        """What the entry holds, roughly, in bytes: what the journal's budget counts."""
        headers = sum(len(k) + len(v) for k, v in self.headers.items())
        return 256 + len(self.path) + len(self.query) + headers + len(self.body) + len(self.response)

    def as_json(self) -> dict[str, Any]:
        headers, headers_cut = _journal_headers(self.headers)
        moment = datetime.fromtimestamp(self.time, UTC)
        return {
            "method": self.method,
            "path": truncate(self.path, JOURNAL_PATH),
            "query": truncate(self.query.decode("latin-1"), JOURNAL_PATH),
            "status": self.status,
            "time": moment.isoformat(timespec="microseconds").replace("+00:00", "Z"),
            "duration_ms": round(self.duration_ms, 3),
            "headers": headers,
            "headers_truncated": headers_cut,
            "body": self.body[:JOURNAL_BODY_BYTES].decode("utf-8", "replace"),
            "body_truncated": len(self.body) > JOURNAL_BODY_BYTES,
            "aborted": self.aborted,
            "response_body": self.response[:JOURNAL_BODY_BYTES].decode("utf-8", "replace"),
            "response_body_truncated": len(self.response) > JOURNAL_BODY_BYTES,
        }


def _handler(operation: Operation) -> Callable[..., Any]:
    """The function named after the operationId in the API's handlers module (the specs carry no Python paths);
    for an API without handlers, the answer from its spec's examples."""
    if operation.vendor.handlers is None:
        return examples.handler(operation)
    module = importlib.import_module(operation.vendor.handlers)
    handler: Callable[..., Any] = getattr(module, operation.operation_id)
    return handler


async def _respond(send: Send, status: int, content: bytes, headers: Mapping[str, str], *, json_body: bool) -> None:
    raw = [(b"content-length", str(len(content)).encode())]
    # A renderer may name its own media type (problem details are ``application/problem+json``).
    if json_body and not any(name.lower() == "content-type" for name in headers):
        raw.append((b"content-type", b"application/json"))
    raw.extend((name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers.items())
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": content})


def _headers(raw: list[tuple[bytes, bytes]]) -> dict[str, str]:
    """Header names in lower case; several lines of one header joined with commas, as RFC 9110 combines them."""
    headers: dict[str, str] = {}
    for name, value in raw:
        key = name.decode("latin-1").lower()
        text = value.decode("latin-1")
        headers[key] = f"{headers[key]}, {text}" if key in headers else text
    return headers


def _journal_headers(headers: Mapping[str, str]) -> tuple[dict[str, str], bool]:
    """Request headers for the journal: secrets masked, each value cut, at most ``JOURNAL_HEADER_BYTES`` in all."""
    kept: dict[str, str] = {}
    used = 0
    cut = False
    for name, value in headers.items():
        key = name[:JOURNAL_HEADER_VALUE]
        text = value
        if len(text) > JOURNAL_HEADER_VALUE:
            text, cut = truncate(text, JOURNAL_HEADER_VALUE), True
        if used + len(key) + len(text) > JOURNAL_HEADER_BYTES:
            cut = True
            continue
        used += len(key) + len(text)
        kept[key] = text
    return mask_headers(kept), cut


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\\]")


def _printable(text: str) -> str:
    """``text`` with control characters (and backslashes) escaped, so no request can forge a log line."""
    return _CONTROL.sub(lambda m: "\\\\" if m.group() == "\\" else f"\\x{ord(m.group()):02x}", text)

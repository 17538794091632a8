"""The request pipeline around connexion: handler dispatch, error rendering, journal and access log.

Order of a request (Prism's, see stoplightio/prism ``packages/core/src/factory.ts``):
request limits (header size) → route → authenticate → rate limits → authorize (roles) → read and validate
the request → ``Prefer`` → handler (pure state change) → validate the response (in tests) → render errors in
the vendor's envelope → journal and access log.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import logging
import re
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs

from connexion.exceptions import ProblemException
from connexion.lifecycle import ConnexionRequest, ConnexionResponse
from connexion.middleware.abstract import ROUTING_CONTEXT
from connexion.middleware.swagger_ui import SwaggerUIMiddleware
from connexion.resolver import Resolution, Resolver
from connexion.utils import get_function_from_name
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from . import prefer
from .auth import ANONYMOUS, Principal, mask_headers
from .context import Context, Runtime
from .errors import (
    ClientDisconnected,
    Forbidden,
    HeadersTooLarge,
    InternalError,
    MalformedRequest,
    MethodNotAllowed,
    MockError,
    NotFound,
    Unauthorized,
    UnsupportedMediaType,
)
from .store import Store
from .throttle import RateLimit, Throttle
from .validation import ABORTED, BODY_BYTES, PARSED_BODY
from .vendor import Vendor

log = logging.getLogger("mock_server")
access_log = logging.getLogger("mock_server.access")

JOURNAL_BODY_BYTES = 4096
#: The journal keeps at most this much of the request headers, and of each value this many characters.
JOURNAL_HEADER_BYTES = 4096
JOURNAL_HEADER_VALUE = 256
JOURNAL_PATH = 2048
#: All request headers together, names and values; past it a request is answered 431 in its API's shape.
MAX_HEADER_BYTES = 16 * 1024
#: Set in ``scope["extensions"]`` by the HTTP protocol when it stopped keeping headers past the limit.
HEADERS_TOO_LARGE = "mock_server.headers_too_large"
HEADER_BYTES = "mock_server.header_bytes"
#: Where connexion's security middleware leaves ``token_info`` (see ``ConnexionRequest.context``).
CONNEXION_CONTEXT = "connexion_context"


# -- dispatch ------------------------------------------------------------------------------------------------------

Reply = tuple[int, Any, dict[str, str]]


class Endpoint:
    """One operation: applies ``Prefer``, builds the handler's arguments and calls it.

    Handlers take a :class:`Context` first, then the operation's parameters by name (``body`` for the
    request body), and return ``(body, status)`` or ``(body, status, headers)``.
    """

    def __init__(self, handler: Callable[..., Any], operation: Any, vendor: Vendor, runtime: Runtime) -> None:
        self.handler = handler
        self.operation = operation
        self.vendor = vendor
        self.runtime = runtime
        self.arguments = tuple(inspect.signature(handler).parameters)[1:]

    async def __call__(self, scope: Scope) -> Reply:
        preference = prefer.parse(_header(scope, b"prefer"))
        if preference.delay_ms:
            await asyncio.sleep(preference.delay_ms / 1000)
        principal = authenticated(scope) or ANONYMOUS
        if preference.forces_response:
            body, status, headers = prefer.forced_response(self.operation.responses, preference)
            return status, body, headers
        extensions = scope.get("extensions", {})
        size = extensions.get(HEADER_BYTES, 0) + extensions.get(BODY_BYTES, 0)
        context = Context(self.runtime, self.vendor.name, principal, request_bytes=size)
        reply = self.handler(context, **self._arguments(scope))
        body, status, *rest = reply
        return status, body, rest[0] if rest else {}

    def _arguments(self, scope: Scope) -> dict[str, Any]:
        path_params = scope.get("path_params", {})
        query = parse_qs(scope.get("query_string", b"").decode("latin-1")) if scope.get("query_string") else {}
        arguments: dict[str, Any] = {}
        for name in self.arguments:
            if name == "body":
                arguments[name] = scope["extensions"].get(PARSED_BODY)
            elif name in path_params:
                arguments[name] = path_params[name]
            elif name in query:
                arguments[name] = _coerce(query[name][-1], self._query_schema(name))
        return arguments

    def _query_schema(self, name: str) -> dict[str, Any]:
        for param in self.operation.parameters:
            if param["in"] == "query" and param["name"] == name:
                return dict(param.get("schema", {}))
        return {}


def _coerce(value: str, schema: Mapping[str, Any]) -> Any:
    """A query value as its schema's type; the request validator has already checked that it parses."""
    kind = schema.get("type")
    if kind == "boolean":
        return value.lower() == "true"
    if kind == "integer":
        return int(value)
    if kind == "number":
        return float(value)
    return value


class Dispatcher:
    """The ASGI app inside connexion's middleware: calls the endpoint of the operation connexion routed to.

    connexion's own middleware (routing, security, request and response validation) runs before it; its
    ``AsyncApp`` layer (a second router and per-request decorators) is replaced by this table lookup.
    """

    def __init__(self, router: VendorRouter) -> None:
        self.router = router
        self.endpoints: dict[tuple[str, str], Endpoint] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        routing = scope.get("extensions", {}).get(ROUTING_CONTEXT, {})
        endpoint = self.endpoints.get((routing.get("api_base_path"), routing.get("operation_id")))
        if endpoint is None:
            raise self.router.no_route(scope["method"], scope["path"])
        status, body, headers = await endpoint(scope)
        content = b"" if body is None else json.dumps(body).encode()
        raw_headers = [(b"content-length", str(len(content)).encode())]
        if body is not None:
            raw_headers.append((b"content-type", b"application/json"))
        raw_headers.extend((name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers.items())
        await send({"type": "http.response.start", "status": status, "headers": raw_headers})
        await send({"type": "http.response.body", "body": content})


async def _lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


class SpecDocs(SwaggerUIMiddleware):
    """connexion's Swagger UI middleware, consulted only for the paths it can serve.

    Its router tries every API's documentation routes on every request; API calls skip it.
    """

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] == "http" and "/openapi." not in path and "/ui" not in path:
            await self.app(scope, receive, send)
            return
        await super().__call__(scope, receive, send)


class HandlerResolver(Resolver):
    """Resolves an operationId to ``<vendor handlers module>.<operationId>`` and registers its endpoint.

    The specs carry no Python paths: the vendor package names the handlers module.
    """

    def __init__(self, vendor: Vendor, runtime: Runtime, dispatcher: Dispatcher) -> None:
        super().__init__()
        self.vendor = vendor
        self.runtime = runtime
        self.dispatcher = dispatcher

    def resolve(self, operation: Any) -> Resolution:
        operation_id = operation.operation_id
        handler = get_function_from_name(f"{self.vendor.handlers}.{operation_id}")
        endpoint = Endpoint(handler, operation, self.vendor, self.runtime)
        self.dispatcher.endpoints[(self.vendor.base_path, operation_id)] = endpoint
        return Resolution(handler, operation_id)


def authenticated(scope: Scope) -> Principal | None:
    """The principal connexion's security middleware accepted for this request, if it ran and accepted one."""
    token_info = scope.get("extensions", {}).get(CONNEXION_CONTEXT, {}).get("token_info") or {}
    principal = token_info.get("principal")
    return principal if isinstance(principal, Principal) else None


def _header(scope: Scope, name: bytes) -> str | None:
    """A header's value; several lines of it joined with commas, as RFC 9110 combines list-valued fields."""
    values = [value.decode("latin-1") for key, value in scope["headers"] if key == name]
    return ", ".join(values) if values else None


# -- errors --------------------------------------------------------------------------------------------------------


class VendorRouter:
    """Finds the API a path belongs to, and the methods its spec declares for a path (for 405 ``Allow``)."""

    def __init__(self, vendors: Mapping[str, Vendor], fallback: Vendor) -> None:
        # Longest base path first: Dreadnode's /api/v1 must win over Nexudus's /api.
        self._vendors = sorted(vendors.values(), key=lambda v: len(v.base_path), reverse=True)
        self._fallback = fallback
        self._paths: dict[str, list[tuple[re.Pattern[str], list[str]]]] = {
            vendor.name: [
                (_path_pattern(vendor.base_path + path), sorted(m.upper() for m in item if m in _METHODS))
                for path, item in vendor.spec.get("paths", {}).items()
            ]
            for vendor in [*vendors.values(), fallback]
        }

    def vendor_for(self, path: str) -> Vendor:
        for vendor in self._vendors:
            base = vendor.base_path
            if path == base or path.startswith(base + "/"):
                return vendor
        return self._fallback

    def allowed_methods(self, vendor: Vendor, path: str) -> list[str]:
        methods: set[str] = set()
        for pattern, declared in self._paths.get(vendor.name, []):
            if pattern.fullmatch(path):
                methods.update(declared)
        return sorted(methods)

    def no_route(self, method: str, path: str) -> MockError:
        """The error for a request no operation serves: 405 where the path is declared, else 404."""
        allowed = self.allowed_methods(self.vendor_for(path), path)
        if method.upper() in allowed:
            if any(ord(c) < 32 for c in path):
                # The router never matches a line break in a path parameter; refuse it as the parameter
                # validator refuses every other control character.
                return MalformedRequest("a path parameter contains control characters")
            # Declared for this method, yet not routed: a typed path parameter (an integer Id) did not match,
            # so no record can have that address.
            return NotFound(f"no operation at {method} {_short(path)}", entity="route")
        allow = ", ".join(allowed)
        if allow:
            return MethodNotAllowed(f"{method} is not allowed here; allowed: {allow}", headers={"Allow": allow})
        return NotFound(f"no operation at {method} {_short(path)}", entity="route")


_METHODS = frozenset({"get", "put", "post", "delete", "patch", "head", "options", "trace"})


def _path_pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[^}]+\})", template)
    return re.compile("".join("[^/]+" if p.startswith("{") else re.escape(p) for p in parts))


def error_handlers(router: VendorRouter) -> list[tuple[type[Exception], Callable[..., Any]]]:
    """connexion error handlers that turn every failure into the envelope of the API the path is under."""

    def render(request: ConnexionRequest, error: MockError) -> ConnexionResponse:
        vendor = router.vendor_for(request.url.path)
        if isinstance(error, Unauthorized):
            error.headers.setdefault("WWW-Authenticate", vendor.www_authenticate)
        status, body, headers = vendor.render_error(error)
        content = b"" if body is None else json.dumps(body).encode()
        return ConnexionResponse(
            status_code=status,
            body=content,
            mimetype="application/json" if body is not None else None,
            headers={**error.headers, **headers},
        )

    async def on_mock_error(request: ConnexionRequest, exc: Exception) -> ConnexionResponse:
        assert isinstance(exc, MockError)
        return render(request, exc)

    async def on_problem(request: ConnexionRequest, exc: Exception) -> ConnexionResponse:
        assert isinstance(exc, ProblemException)
        return render(request, _from_problem(exc))

    async def on_http(request: ConnexionRequest, exc: Exception) -> ConnexionResponse:
        assert isinstance(exc, HTTPException)
        if exc.status_code in (404, 405):
            return render(request, router.no_route(request.method, request.url.path))
        return render(request, MockError(str(exc.detail), status=exc.status_code))

    async def on_disconnect(request: ConnexionRequest, exc: Exception) -> ConnexionResponse:
        # Nobody is listening; the journal records the request as aborted.
        return ConnexionResponse(status_code=499, body=b"")

    async def on_exception(request: ConnexionRequest, exc: Exception) -> ConnexionResponse:
        # The traceback goes to the server log only; the client gets the vendor's 500 envelope.
        log.error("unhandled error on %s %s", request.method, _short(request.url.path), exc_info=exc)
        return render(request, InternalError("internal error"))

    return [
        (MockError, on_mock_error),
        (ProblemException, on_problem),
        (HTTPException, on_http),
        (ClientDisconnected, on_disconnect),
        (Exception, on_exception),
    ]


def _from_problem(exc: ProblemException) -> MockError:
    detail = str(exc.detail or exc.title or "")
    headers = dict(exc.headers or {})
    if exc.status == 401:
        return Unauthorized(detail or "missing or invalid credentials", headers=headers)
    if exc.status == 403:
        return Forbidden(detail or "forbidden", headers=headers)
    if exc.status == 415:
        return UnsupportedMediaType(detail, headers=headers)
    if exc.status == 400:
        return MalformedRequest(detail, headers=headers)
    if exc.status >= 500:
        log.error("%s", detail)
        return InternalError(detail, headers=headers)
    return MockError(detail, status=exc.status, headers=headers)


def _short(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


# -- request limits and authorization -----------------------------------------------------------------------------


class RequestLimits:
    """First stage inside connexion's error handling: refuses request headers past ``MAX_HEADER_BYTES`` (431).

    Under ``python -m mock_server`` the HTTP protocol already stopped keeping headers past the limit (see
    ``mock_server/http.py``) and says so in ``HEADERS_TOO_LARGE``; in-process, the sum is taken here.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            extensions = scope.setdefault("extensions", {})
            size = sum(len(name) + len(value) for name, value in scope["headers"])
            extensions[HEADER_BYTES] = size
            if extensions.get(HEADERS_TOO_LARGE) or size > MAX_HEADER_BYTES:
                raise HeadersTooLarge(f"the request headers are larger than {MAX_HEADER_BYTES} bytes")
        await self.app(scope, receive, send)


class Authorization:
    """Applies the API's role rules (``Vendor.authorize``) once the caller is known, before the body is read:
    a caller who may not make a request learns that (403), not what is wrong with its body."""

    def __init__(self, app: ASGIApp, *, vendors: Mapping[str, Vendor]) -> None:
        self.app = app
        self.vendors = {vendor.base_path: vendor for vendor in vendors.values() if vendor.authorize is not None}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and self.vendors:
            routing = scope.get("extensions", {}).get(ROUTING_CONTEXT, {})
            vendor = self.vendors.get(routing.get("api_base_path"))
            principal = authenticated(scope)
            if vendor is not None and vendor.authorize is not None and principal is not None:
                vendor.authorize(principal, routing.get("operation_id", ""))
        await self.app(scope, receive, send)


# -- rate limits ---------------------------------------------------------------------------------------------------


class ThrottleMiddleware:
    """Counts each authenticated request against its API's rate limits (``--rate-limits``).

    It sits right after connexion's security middleware, so the tenant is known and every request counts,
    whether or not it is valid; an API without limits, or a request without credentials, passes untouched.
    """

    def __init__(self, app: ASGIApp, *, throttle: Throttle, limits: Mapping[str, tuple[RateLimit, ...]]) -> None:
        self.app = app
        self.throttle = throttle
        self.limits = limits  # base path → limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            extensions = scope.get("extensions", {})
            base_path = extensions.get(ROUTING_CONTEXT, {}).get("api_base_path")
            limits = self.limits.get(base_path) if base_path is not None else None
            principal = authenticated(scope)
            if limits and principal is not None:
                self.throttle.hit(base_path, principal.tenant, scope["method"], limits)
        await self.app(scope, receive, send)


# -- journal and access log ----------------------------------------------------------------------------------------


class JournalMiddleware:
    """Outermost layer: refuses what is not HTTP, records each API request in its tenant's journal, logs a line.

    The tenant is the one connexion's security middleware authenticated; unauthenticated requests and the
    control API's own calls are not journaled. Entries are bounded (body, headers, path), credentials are
    masked in the journal and never logged, and control characters are escaped in the log.
    """

    def __init__(self, app: ASGIApp, *, store: Store, admin_path: str) -> None:
        self.app = app
        self.store = store
        self.admin_path = admin_path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            # No API here speaks WebSocket: refuse the handshake (the server answers it with 403).
            await receive()
            await send({"type": "websocket.close", "code": 1008})
            return
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500
        captured: list[bytes] = []
        captured_size = 0
        # Created here so that connexion's shallow scope copies share it and the security result comes back.
        extensions = scope.setdefault("extensions", {})
        extensions.setdefault(CONNEXION_CONTEXT, {})

        async def receive_and_capture() -> Message:
            nonlocal captured_size
            message = await receive()
            if message["type"] == "http.request" and captured_size < JOURNAL_BODY_BYTES:
                chunk = message.get("body", b"")[: JOURNAL_BODY_BYTES - captured_size]
                captured.append(chunk)
                captured_size += len(chunk)
            return message

        answered: list[bytes] = []
        answered_size = 0

        async def send_and_watch(message: Message) -> None:
            nonlocal status, answered_size
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body" and answered_size <= JOURNAL_BODY_BYTES:
                chunk = message.get("body", b"")[: JOURNAL_BODY_BYTES + 1 - answered_size]
                answered.append(chunk)
                answered_size += len(chunk)
            await send(message)

        try:
            await self.app(scope, receive_and_capture, send_and_watch)
        finally:
            elapsed_ms = (time.perf_counter() - started) * 1000
            principal = authenticated(scope)
            path = scope["path"]
            tenant = principal.tenant if principal else "-"
            aborted = bool(extensions.get(ABORTED))
            if aborted:
                status = 499
            access_log.info(
                "%s %s %d %.1fms tenant=%s",
                _printable(scope["method"]),
                _printable(_short(path)),
                status,
                elapsed_ms,
                tenant,
            )
            if principal is not None and not path.startswith(self.admin_path):
                headers, headers_cut = _journal_headers(scope["headers"])
                body = b"".join(captured).decode("utf-8", "replace")
                query = scope.get("query_string", b"").decode("latin-1")
                entry = {
                    "method": scope["method"],
                    "path": _short(path, JOURNAL_PATH),
                    "query": _short(query, JOURNAL_PATH),
                    "status": status,
                    "time": datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z"),
                    "duration_ms": round(elapsed_ms, 3),
                    "headers": headers,
                    "headers_truncated": headers_cut,
                    "body": body,
                    "body_truncated": captured_size >= JOURNAL_BODY_BYTES,
                    "aborted": aborted,
                    "response_body": b"".join(answered)[:JOURNAL_BODY_BYTES].decode("utf-8", "replace"),
                    "response_body_truncated": answered_size > JOURNAL_BODY_BYTES,
                }
                cost = (
                    256
                    + len(body)
                    + len(entry["response_body"])
                    + sum(len(k) + len(v) for k, v in headers.items())
                    + len(entry["path"])
                )
                self.store.record(principal.tenant, entry, cost + len(entry["query"]))


def _journal_headers(raw: list[tuple[bytes, bytes]]) -> tuple[dict[str, str], bool]:
    """Request headers for the journal: secrets masked, each value cut, at most ``JOURNAL_HEADER_BYTES`` in all."""
    headers: dict[str, str] = {}
    used = 0
    cut = False
    for name, value in raw:
        key = name.decode("latin-1").lower()[:JOURNAL_HEADER_VALUE]
        text = value.decode("latin-1")
        if len(text) > JOURNAL_HEADER_VALUE:
            text, cut = _short(text, JOURNAL_HEADER_VALUE), True
        if used + len(key) + len(text) > JOURNAL_HEADER_BYTES:
            cut = True
            continue
        used += len(key) + len(text)
        headers[key] = text
    return mask_headers(headers), cut


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\\]")


def _printable(text: str) -> str:
    """``text`` with control characters (and backslashes) escaped, so no request can forge a log line."""
    return _CONTROL.sub(lambda m: "\\\\" if m.group() == "\\" else f"\\x{ord(m.group()):02x}", text)

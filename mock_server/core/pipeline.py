"""The request pipeline around connexion: handler dispatch, error rendering, journal and access log.

Order of a request (Prism's, see stoplightio/prism ``packages/core/src/factory.ts``):
route → authenticate → read and validate the request → ``Prefer`` → handler (pure state change)
→ validate the response (in tests) → render errors in the vendor's envelope.
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

from connexion import context as connexion_context
from connexion.exceptions import ProblemException
from connexion.lifecycle import ConnexionRequest, ConnexionResponse
from connexion.resolver import Resolution, Resolver
from connexion.utils import get_function_from_name
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from . import prefer
from .auth import Authenticator, Principal, mask_headers, secret_from_headers
from .context import Context, Runtime
from .errors import (
    Forbidden,
    InternalError,
    MalformedRequest,
    MethodNotAllowed,
    MockError,
    NotFound,
    Unauthorized,
    UnsupportedMediaType,
)
from .vendor import Vendor

log = logging.getLogger("mock_server")
access_log = logging.getLogger("mock_server.access")

JOURNAL_BODY_BYTES = 4096


# -- dispatch ------------------------------------------------------------------------------------------------------


class HandlerResolver(Resolver):
    """Resolves an operationId to ``<vendor handlers module>.<operationId>`` and wraps it for dispatch.

    Handlers take a :class:`Context` first, then the operation's parameters by name, and return
    ``(body, status)`` or ``(body, status, headers)``; the specs carry no Python paths.
    """

    def __init__(self, vendor: Vendor, runtime: Runtime) -> None:
        super().__init__()
        self.vendor = vendor
        self.runtime = runtime

    def resolve(self, operation: Any) -> Resolution:
        operation_id = operation.operation_id
        handler = get_function_from_name(f"{self.vendor.handlers}.{operation_id}")
        return Resolution(_dispatcher(handler, operation, self.vendor, self.runtime), operation_id)


def _dispatcher(handler: Callable[..., Any], operation: Any, vendor: Vendor, runtime: Runtime) -> Callable[..., Any]:
    operation_id: str = operation.operation_id

    async def dispatch(**params: Any) -> Any:
        preference = prefer.parse(_header(connexion_context.scope, b"prefer"))
        if preference.delay_ms:
            await asyncio.sleep(preference.delay_ms / 1000)
        principal = _principal()
        if vendor.authorize is not None:
            vendor.authorize(principal.role, operation_id)
        if preference.forces_response:
            # Read at call time: the resolver runs before connexion has parsed the operation's responses.
            return prefer.forced_response(operation.responses, preference)
        return handler(Context(runtime, vendor.name, principal), **params)

    # connexion passes arguments by the names in the signature: show it the handler's, minus the context.
    signature = inspect.signature(handler)
    dispatch.__signature__ = signature.replace(parameters=list(signature.parameters.values())[1:])  # type: ignore[attr-defined]
    dispatch.__name__ = handler.__name__
    dispatch.__doc__ = handler.__doc__
    return dispatch


def _principal() -> Principal:
    token_info = connexion_context.context.get("token_info") or {}
    principal = token_info.get("principal")
    return principal if isinstance(principal, Principal) else Principal(tenant="anonymous", name="anonymous")


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            return str(value.decode("latin-1"))
    return None


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
        path = request.url.path
        if exc.status_code == 405:
            vendor = router.vendor_for(path)
            allow = ", ".join(router.allowed_methods(vendor, path))
            return render(
                request,
                MethodNotAllowed(f"{request.method} is not allowed here; allowed: {allow}", headers={"Allow": allow}),
            )
        if exc.status_code == 404:
            return render(request, NotFound(f"no operation at {request.method} {_short(path)}", entity="route"))
        return render(request, MockError(str(exc.detail), status=exc.status_code))

    async def on_exception(request: ConnexionRequest, exc: Exception) -> ConnexionResponse:
        # The traceback goes to the server log only; the client gets the vendor's 500 envelope.
        log.error("unhandled error on %s %s", request.method, _short(request.url.path), exc_info=exc)
        return render(request, InternalError("internal error"))

    return [
        (MockError, on_mock_error),
        (ProblemException, on_problem),
        (HTTPException, on_http),
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


# -- journal and access log ----------------------------------------------------------------------------------------


class JournalMiddleware:
    """Outermost layer: records each API request in its tenant's journal and writes one log line.

    Credentials are masked in the journal and never logged; the control API's own calls are not journaled.
    """

    def __init__(self, app: ASGIApp, *, runtime: Runtime, authenticator: Authenticator, admin_path: str) -> None:
        self.app = app
        self.store = runtime.store
        self.authenticator = authenticator
        self.admin_path = admin_path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500
        captured: list[bytes] = []
        captured_size = 0

        async def receive_and_capture() -> Message:
            nonlocal captured_size
            message = await receive()
            if message["type"] == "http.request" and captured_size < JOURNAL_BODY_BYTES:
                chunk = message.get("body", b"")[: JOURNAL_BODY_BYTES - captured_size]
                captured.append(chunk)
                captured_size += len(chunk)
            return message

        async def send_and_watch(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive_and_capture, send_and_watch)
        finally:
            elapsed_ms = (time.perf_counter() - started) * 1000
            headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
            principal = self.authenticator.principal(secret_from_headers(headers))
            path = scope["path"]
            access_log.info(
                "%s %s %d %.1fms tenant=%s",
                scope["method"],
                _short(path),
                status,
                elapsed_ms,
                principal.tenant if principal else "-",
            )
            if principal is not None and not path.startswith(self.admin_path):
                self.store.record(
                    principal.tenant,
                    {
                        "method": scope["method"],
                        "path": path,
                        "query": scope.get("query_string", b"").decode("latin-1"),
                        "status": status,
                        "time": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
                        "duration_ms": round(elapsed_ms, 3),
                        "headers": mask_headers(headers),
                        "body": b"".join(captured).decode("utf-8", "replace"),
                        "body_truncated": captured_size >= JOURNAL_BODY_BYTES,
                    },
                )

"""Builds the ASGI application: every vendor spec at its base path, plus the control API."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Receive, Scope, Send

from . import __version__
from .core import fixtures
from .core.admin import ADMIN
from .core.auth import Authenticator
from .core.context import Runtime
from .core.pipeline import Pipeline
from .core.store import (
    DEFAULT_JOURNAL_BUDGET,
    DEFAULT_JOURNAL_SIZE,
    DEFAULT_MAX_TENANTS,
    DEFAULT_STATE_BUDGET,
    StateStore,
    Store,
)
from .core.vendor import Vendor
from .landing import Landing, LandingPage
from .registry import VENDORS


def select(names: list[str] | None) -> dict[str, Vendor]:
    """The vendors named (all when ``names`` is empty); raises ValueError naming an unknown one."""
    if not names:
        return dict(VENDORS)
    unknown = [name for name in names if name not in VENDORS]
    if unknown:
        raise ValueError(f"unknown API {', '.join(unknown)} (known: {', '.join(VENDORS)})")
    return {name: VENDORS[name] for name in names}


def create_app(
    apis: list[str] | None = None,
    *,
    fixtures_file: Path | None = None,
    auth_file: Path | None = None,
    validate_responses: bool = False,
    max_tenants: int = DEFAULT_MAX_TENANTS,
    state_budget: int = DEFAULT_STATE_BUDGET,
    journal_size: int = DEFAULT_JOURNAL_SIZE,
    journal_budget: int = DEFAULT_JOURNAL_BUDGET,
    defaults: Mapping[str, Any] | None = None,
    rate_limits: bool = False,
    access_log: bool = False,
    clock: Callable[[], float] | None = None,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    store: str | None = None,
    tenant_ttl: float | None = None,
) -> ASGIApp:
    """The mock as an ASGI app. Raises :class:`~mock_server.core.fixtures.FixtureError` for bad files.

    ``validate_responses`` makes every response that breaks its spec a 500: on in tests, off when serving.
    ``rate_limits`` enforces each vendor's documented rate limits, timed by ``clock`` (seconds: monotonic in
    memory, wall-clock time with Redis, which every instance shares); ``sleep`` waits out ``Prefer: delay``
    (both injected by tests, so that no test waits for real time). ``access_log`` logs one line per request
    on the ``mock_server.access`` logger. ``store`` is None (in memory) or a ``redis://host:port/db`` URL;
    ``tenant_ttl`` is how long the Redis store keeps a tenant after its last use.
    """
    vendors = select(apis)
    data = dict(defaults) if defaults is not None else fixtures.load(vendors, fixtures_file)
    limits = {
        "max_tenants": max_tenants,
        "state_budget": state_budget,
        "journal_size": journal_size,
        "journal_budget": journal_budget,
    }
    kept: StateStore
    if store is None:
        kept = Store(data, **limits)
    else:
        kept = open_redis(store, data, tenant_ttl=tenant_ttl, **limits)
    pipeline = Pipeline(
        vendors=vendors,
        control=ADMIN,
        runtime=Runtime(store=kept, vendors=vendors, version=__version__),
        authenticator=Authenticator.from_file(auth_file) if auth_file else Authenticator(),
        docs=_Docs([*vendors.values(), ADMIN]),
        throttle=kept.throttle(clock or (time.monotonic if store is None else time.time)) if rate_limits else None,
        validate_responses=validate_responses,
        access_log=access_log,
        sleep=sleep,
    )
    # GET / lists the APIs; everything else is the pipeline's.
    return LandingPage(pipeline, Landing.of(vendors.values(), ADMIN, __version__))


class _Docs:
    """connexion's Swagger UI and JSON spec for each API, at ``{base path}/ui/`` and ``{base path}/openapi.json``.

    Built on the first request for them, on a worker thread: importing connexion and validating the specs takes
    about a second, which start-up should not wait for and other clients should not wait behind.
    """

    def __init__(self, vendors: list[Vendor]) -> None:
        self.vendors = vendors
        self.app: ASGIApp | None = None
        self.lock = asyncio.Lock()

    def build(self) -> ASGIApp:
        from connexion import ConnexionMiddleware
        from connexion.middleware.swagger_ui import SwaggerUIMiddleware
        from connexion.options import SwaggerUIOptions

        docs = ConnexionMiddleware(
            _not_found,
            import_name=__name__,
            middlewares=[SwaggerUIMiddleware],
            swagger_ui_options=SwaggerUIOptions(spec_path="/openapi.json", swagger_ui_path="/ui"),
        )
        for vendor in self.vendors:
            docs.add_api(vendor.spec, base_path=vendor.base_path, name=vendor.name)
        return docs

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.app is None:
            async with self.lock:
                if self.app is None:
                    self.app = await asyncio.to_thread(self.build)
        await self.app(scope, receive, send)


def open_redis(url: str, data: Mapping[str, Any], *, tenant_ttl: float | None = None, **limits: int) -> StateStore:
    """The Redis store at ``url``, checked to answer; ValueError (a start-up refusal) if it is not usable."""
    # Imported only when asked for: the in-memory mock never loads the Redis client.
    from .core.errors import StoreUnavailable
    from .core.redis_store import DEFAULT_TENANT_TTL, RedisStore

    if not url.startswith(("redis://", "rediss://", "unix://")):
        raise ValueError(f"--store must be a redis://host:port/db URL, not {shown(url)!r}")
    store = RedisStore(url, data, tenant_ttl=DEFAULT_TENANT_TTL if tenant_ttl is None else tenant_ttl, **limits)
    try:
        store.ping()
    except StoreUnavailable as exc:
        raise ValueError(f"the store at {shown(url)} does not answer: {exc.__cause__}") from exc
    return store


def shown(url: str) -> str:
    """A store URL fit for messages and logs: any user name and password left out."""
    parts = urlsplit(url)
    return parts._replace(netloc=parts.netloc.rpartition("@")[2]).geturl()


async def _not_found(scope: Scope, receive: Receive, send: Send) -> None:
    await send({"type": "http.response.start", "status": 404, "headers": [(b"content-length", b"0")]})
    await send({"type": "http.response.body", "body": b""})

"""Builds the ASGI application: every vendor spec at its base path, plus the control API."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from functools import partial
from pathlib import Path
from typing import Any

from connexion import ConnexionMiddleware
from connexion.datastructures import MediaTypeDict
from connexion.middleware.context import ContextMiddleware
from connexion.middleware.lifespan import LifespanMiddleware
from connexion.middleware.request_validation import RequestValidationMiddleware
from connexion.middleware.response_validation import ResponseValidationMiddleware
from connexion.middleware.security import SecurityMiddleware
from connexion.middleware.swagger_ui import SwaggerUIMiddleware
from connexion.options import SwaggerUIOptions
from connexion.validators import VALIDATOR_MAP
from starlette.types import ASGIApp

from . import __version__
from .core import fixtures
from .core.admin import ADMIN
from .core.auth import Authenticator, security_map
from .core.context import Runtime
from .core.pipeline import (
    Dispatcher,
    HandlerResolver,
    JournalMiddleware,
    SpecDocs,
    ThrottleMiddleware,
    VendorRouter,
    error_handlers,
)
from .core.store import DEFAULT_MAX_TENANTS, Store
from .core.throttle import Throttle
from .core.validation import (
    CollectingParameterValidator,
    JSONBodyValidator,
    JSONResponseValidator,
    RequestValidation,
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
    defaults: Mapping[str, Any] | None = None,
    rate_limits: bool = False,
    clock: Callable[[], float] = time.monotonic,
) -> ASGIApp:
    """The mock as an ASGI app. Raises :class:`~mock_server.core.fixtures.FixtureError` for bad files.

    ``validate_responses`` makes every response that breaks its spec a 500: on in tests, off when serving.
    ``rate_limits`` enforces each vendor's documented rate limits, timed by ``clock`` (monotonic seconds).
    """
    vendors = select(apis)
    data = dict(defaults) if defaults is not None else fixtures.load(vendors, fixtures_file)
    authenticator = Authenticator.from_file(auth_file) if auth_file else Authenticator()
    runtime = Runtime(store=Store(data, max_tenants=max_tenants), vendors=vendors, version=__version__)

    validator_map = {
        "parameter": CollectingParameterValidator,
        "body": MediaTypeDict({**VALIDATOR_MAP["body"], "*/*json": JSONBodyValidator}),
        "response": MediaTypeDict({**VALIDATOR_MAP["response"], "*/*json": JSONResponseValidator}),
    }
    router = VendorRouter(vendors, fallback=ADMIN)
    dispatcher = Dispatcher(router)
    # connexion's middleware does routing, security and validation from the specs; the dispatcher calls
    # the handlers. Response validation is a middleware too, so serve mode leaves it out entirely.
    middlewares = [
        m for m in ConnexionMiddleware.default_middlewares if m not in (LifespanMiddleware, ContextMiddleware)
    ]
    if not validate_responses:
        middlewares.remove(ResponseValidationMiddleware)
    middlewares[middlewares.index(RequestValidationMiddleware)] = RequestValidation
    middlewares[middlewares.index(SwaggerUIMiddleware)] = SpecDocs
    limits = {vendor.base_path: vendor.rate_limits for vendor in vendors.values() if vendor.rate_limits}
    if rate_limits and limits:
        throttle = partial(ThrottleMiddleware, throttle=Throttle(clock), limits=limits)
        middlewares.insert(middlewares.index(SecurityMiddleware) + 1, throttle)
    app = ConnexionMiddleware(
        dispatcher,
        import_name=__name__,
        middlewares=middlewares,
        validate_responses=validate_responses,
        validator_map=validator_map,
        security_map=security_map(authenticator),
        swagger_ui_options=SwaggerUIOptions(spec_path="/openapi.json", swagger_ui_path="/ui"),
    )
    for vendor in [*vendors.values(), ADMIN]:
        app.add_api(
            vendor.spec,
            base_path=vendor.base_path,
            name=vendor.name,
            resolver=HandlerResolver(vendor, runtime, dispatcher),
        )
    for exception, handler in error_handlers(router):
        app.add_error_handler(exception, handler)
    landing = LandingPage(app, Landing.of(vendors.values(), ADMIN, __version__))
    return JournalMiddleware(landing, store=runtime.store, admin_path=ADMIN.base_path)

"""Nexudus Spaces API: update a workspace (full replace) and read it back."""

from mock_server.core.throttle import WRITES, RateLimit
from mock_server.core.vendor import Vendor

from .errors import render_error
from .fixtures import FIXTURE_SCHEMA, check_fixtures
from .handlers import views
from .roles import authorize

#: Nexudus's documented limits per credential: 60 writes a minute, and one request per 100 ms. It answers
#: either with 409 Conflict and a ``Retry-After`` of the whole seconds until the window lets one through.
RATE_LIMITS = (
    RateLimit(requests=60, seconds=60.0, methods=WRITES),
    RateLimit(requests=1, seconds=0.1),
)

VENDOR = Vendor.folder(
    __name__,
    render_error=render_error,
    fixture_schema=FIXTURE_SCHEMA,
    check_fixtures=check_fixtures,
    views=views,
    authorize=authorize,
    rate_limits=RATE_LIMITS,
)

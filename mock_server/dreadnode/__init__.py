"""Dreadnode platform API v1: read and update a workspace, addressed by organization slug and workspace key."""

from mock_server.core.vendor import FIXTURES_DIR, Vendor

from .errors import authorize, render_error
from .fixtures import FIXTURE_SCHEMA, check_fixtures
from .handlers import views

VENDOR = Vendor(
    name="dreadnode",
    spec_file="dreadnode.yaml",
    handlers="mock_server.dreadnode.handlers",
    render_error=render_error,
    www_authenticate='Bearer realm="Dreadnode API"',
    fixture_schema=FIXTURE_SCHEMA,
    check_fixtures=check_fixtures,
    views=views,
    default_fixtures=FIXTURES_DIR / "dreadnode.yaml",
    authorize=authorize,
)

"""Dreadnode platform API v1: read and update a workspace, addressed by organization slug and workspace key."""

from mock_server.core.vendor import Vendor

from .errors import authorize, render_error
from .fixtures import FIXTURE_SCHEMA, check_fixtures
from .handlers import views

VENDOR = Vendor.folder(
    __name__,
    render_error=render_error,
    fixture_schema=FIXTURE_SCHEMA,
    check_fixtures=check_fixtures,
    views=views,
    authorize=authorize,
)

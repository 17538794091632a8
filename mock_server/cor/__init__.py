"""COR Integrations API v2: workspace update, user update, attach workspaces to a user."""

from mock_server.core.vendor import Vendor

from .errors import render_error
from .fixtures import FIXTURE_SCHEMA, check_fixtures
from .handlers import views

VENDOR = Vendor.folder(
    __name__,
    render_error=render_error,
    fixture_schema=FIXTURE_SCHEMA,
    check_fixtures=check_fixtures,
    views=views,
)

"""COR Integrations API v2: workspace update, user update, attach workspaces to a user."""

from mock_server.core.vendor import FIXTURES_DIR, Vendor

from .errors import render_error
from .fixtures import FIXTURE_SCHEMA, check_fixtures
from .handlers import views

VENDOR = Vendor(
    name="cor",
    spec_file="cor.yaml",
    handlers="mock_server.cor.handlers",
    render_error=render_error,
    www_authenticate='Bearer realm="COR Integrations API"',
    fixture_schema=FIXTURE_SCHEMA,
    check_fixtures=check_fixtures,
    views=views,
    default_fixtures=FIXTURES_DIR / "cor.yaml",
)

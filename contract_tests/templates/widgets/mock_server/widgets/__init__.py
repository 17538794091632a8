"""Widgets API: read a widget and rename it (the example of docs/adding-an-api.md)."""

from mock_server.core.vendor import Vendor

from .errors import render_error
from .handlers import views

VENDOR = Vendor.folder(__name__, render_error=render_error, views=views)

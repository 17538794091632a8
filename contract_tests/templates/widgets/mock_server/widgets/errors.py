"""The Widgets API's error envelope: ``{"code", "message"}`` (the ``Error`` schema of openapi/widgets.yaml)."""

from __future__ import annotations

from http import HTTPStatus

from mock_server.core.errors import MockError, ValidationFailed, truncate
from mock_server.core.vendor import Rendered


def render_error(error: MockError) -> Rendered:
    code = HTTPStatus(error.status).phrase.lower().replace(" ", "_").replace("-", "_")
    message = error.message
    if isinstance(error, ValidationFailed):
        message = "; ".join(f"{v.field}: {v.message}" for v in error.violations) or message
    return error.status, {"code": code, "message": truncate(message, 2000)}, {}

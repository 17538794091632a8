"""COR's error envelope: ``{"status", "name", "code"?, "message", "errors"?}`` for every status.

Modelled on COR's main API error (``CORCustomError``); see the ``Error`` schema in ``openapi/cor.yaml``.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from mock_server.core.errors import (
    ForcedResponseUnavailable,
    MalformedRequest,
    MockError,
    NotFound,
    ValidationFailed,
    Violation,
    truncate,
)
from mock_server.core.vendor import Rendered

#: Entity kind (as handlers raise it) → COR's NotFound error name.
NOT_FOUND_NAMES = {
    "workspace": "WorkspaceNotFoundError",
    "user": "UserNotFoundError",
    "user position": "UserPositionNotFoundError",
    "seniority": "SeniorityNotFoundError",
}
ENTITY_NOT_ASSOCIATED = "ZC001"
ROLE_FIELD = "role_id"

_NAMES = {
    MalformedRequest: "BadRequestError",
    ForcedResponseUnavailable: "BadRequestError",
}
_BY_STATUS = {
    401: "UnauthorizedError",
    403: "ForbiddenError",
    404: "NotFoundError",
    405: "MethodNotAllowedError",
    413: "PayloadTooLargeError",
    415: "UnsupportedMediaTypeError",
    429: "TooManyRequestsError",
    500: "InternalServerError",
}


def render_error(error: MockError) -> Rendered:
    body: dict[str, Any] = {"status": error.status, "name": _name(error), "message": truncate(error.message, 1000)}
    if isinstance(error, NotFound) and error.entity in NOT_FOUND_NAMES:
        body["code"] = ENTITY_NOT_ASSOCIATED
    if isinstance(error, ValidationFailed):
        if _is_invalid_role(error):
            body["message"] = "The role_id is not a valid COR role"
        else:
            body["message"] = "Request validation failed"
        body["errors"] = [_detail(v) for v in error.violations]
    return error.status, body, {}


def _name(error: MockError) -> str:
    if isinstance(error, ValidationFailed):
        return "InvalidRoleError" if _is_invalid_role(error) else "ValidationError"
    if isinstance(error, NotFound):
        return NOT_FOUND_NAMES.get(error.entity, "NotFoundError")
    for kind, name in _NAMES.items():
        if isinstance(error, kind):
            return name
    if error.status in _BY_STATUS:
        return _BY_STATUS[error.status]
    return HTTPStatus(error.status).phrase.replace(" ", "") + "Error"


def _is_invalid_role(error: ValidationFailed) -> bool:
    """COR answers a bad ``role_id`` with its own InvalidRoleError, when that is the only thing wrong."""
    return bool(error.violations) and all(v.loc == ("body", ROLE_FIELD) for v in error.violations)


def _detail(violation: Violation) -> dict[str, str]:
    field = truncate(violation.field, 250)
    if violation.message == "is required":
        message = f"Missing required {field} field"
    else:
        message = f"{field} {violation.message}"
    return {"field": field, "message": truncate(message, 1000)}

"""Nexudus's answers to refused requests; see ``ErrorResult`` and the shared responses in ``openapi/nexudus.yaml``.

- 400 (and 405, 413, 415, 500): the result envelope ``{Message, Value: null, Errors, WasSuccessful: false}``,
  every violation in ``Errors`` and, one per line, in ``Message`` as ``PropertyName: message``;
- 401, for bad credentials and missing roles alike: ``{"Message": "Authorization has been denied for this request."}``;
- 404: the JSON string ``"Not found"``;
- throttling: 409 with ``Retry-After`` and an empty body.
"""

from __future__ import annotations

from typing import Any

from mock_server.core.errors import MockError, NotFound, Throttled, Unauthorized, ValidationFailed, Violation, truncate
from mock_server.core.vendor import Rendered

DENIED = "Authorization has been denied for this request."
NOT_FOUND = "Not found"
REQUIRED = "is a required field"
THROTTLED_STATUS = 409
MAX_MESSAGE = 4000
MAX_DETAIL = 1000
MAX_PROPERTY = 255


def render_error(error: MockError) -> Rendered:
    if isinstance(error, Unauthorized):
        return 401, {"Message": DENIED}, {}
    if isinstance(error, NotFound):
        return 404, NOT_FOUND, {}
    if isinstance(error, Throttled):
        return THROTTLED_STATUS, None, {"Retry-After": error.headers.get("Retry-After", "1")}
    if isinstance(error, ValidationFailed) and error.violations:
        errors = [_error(violation) for violation in error.violations]
        message = "\n".join(f"{e['PropertyName']}: {e['Message']}" for e in errors)
        return error.status, _envelope(message, errors), {}
    return error.status, _envelope(error.message, []), {}


def _envelope(message: str, errors: list[dict[str, Any]]) -> dict[str, Any]:
    return {"Message": truncate(message, MAX_MESSAGE), "Value": None, "Errors": errors, "WasSuccessful": False}


def _error(violation: Violation) -> dict[str, Any]:
    # ASP.NET binds an empty string as null, so "" is a missing value: "is a required field", attempted null.
    if violation.message == "is required" or violation.value == "":
        message, attempted = REQUIRED, None
    else:
        message, attempted = violation.message, _echo(violation.value)
    return {
        "AttemptedValue": attempted,
        "Message": truncate(message, MAX_DETAIL),
        "PropertyName": truncate(violation.field, MAX_PROPERTY),
    }


def _echo(value: Any) -> Any:
    """The attempted value as the client may see it again: scalars as sent, strings cut, containers left out."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, str):
        return truncate(value)
    return None

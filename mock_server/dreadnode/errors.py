"""Dreadnode's canonical error envelope ``{"code", "detail", "type", "errors"?}``, and who may write.

The envelope is the docs' "Canonical API error envelope"; a 422 lists every violation in ``errors`` the
way FastAPI does (``loc`` as a path list, pydantic's ``msg`` and ``type``). See ``ErrorResponse`` in
``openapi/dreadnode.yaml`` for the ``type`` of each status.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from mock_server.core.auth import Principal
from mock_server.core.errors import (
    Forbidden,
    ForcedResponseUnavailable,
    MalformedRequest,
    MockError,
    Unauthorized,
    ValidationFailed,
    Violation,
    truncate,
)
from mock_server.core.vendor import Rendered

#: The docs' own 401 example, word for word.
AUTHENTICATION_FAILED = "Authentication failed"
VALIDATION_ERROR = "Validation error"

_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    405: "method_not_allowed_error",
    409: "conflict_error",
    413: "payload_too_large_error",
    431: "request_header_fields_too_large_error",
    415: "unsupported_media_type_error",
    422: "validation_error",
    426: "upgrade_required_error",
    429: "rate_limit_error",
    500: "internal_server_error",
    502: "bad_gateway_error",
    504: "gateway_timeout_error",
}

#: Roles (from ``--auth-file``) that may read workspaces but not change them.
READ_ONLY_ROLES = frozenset({"reader"})
WRITE_OPERATIONS = frozenset({"update_workspace"})


def authorize(principal: Principal, operation_id: str) -> None:
    """A Reader may read workspaces but not update them: 403, before anything is read or changed."""
    role = principal.role
    if role is not None and role.lower() in READ_ONLY_ROLES and operation_id in WRITE_OPERATIONS:
        raise Forbidden(f"Access forbidden; the {role} role cannot update workspaces")


def render_error(error: MockError) -> Rendered:
    if isinstance(error, ValidationFailed):
        path = [v for v in error.violations if v.loc[:1] == ("path",)]
        if path:
            return _render(400, _not_a_slug(path[0]))
        return 422, {**_body(422, VALIDATION_ERROR), "errors": [_item(v) for v in error.violations]}, {}
    if isinstance(error, Unauthorized):
        return _render(401, AUTHENTICATION_FAILED)
    if isinstance(error, MalformedRequest | ForcedResponseUnavailable):
        return _render(400, error.message)
    return _render(error.status, error.message)


def _render(status: int, detail: str) -> Rendered:
    return status, _body(status, detail), {}


def _body(status: int, detail: str) -> dict[str, Any]:
    kind = _TYPES.get(status) or HTTPStatus(status).phrase.lower().replace(" ", "_").replace("-", "_") + "_error"
    text = truncate(detail, 1000) or HTTPStatus(status).phrase
    return {"code": status, "detail": text[:1].upper() + text[1:], "type": kind}


def _not_a_slug(violation: Violation) -> str:
    """A path segment that cannot be a slug is an invalid request (400), not a validation error of the body."""
    _, message = _pydantic(violation)
    return f"Path parameter {truncate(violation.field)} is not a slug: {message}"


# -- FastAPI's validation errors ----------------------------------------------------------------------------------

_TYPE_ERRORS = {
    "string": ("string_type", "Input should be a valid string"),
    "boolean": ("bool_type", "Input should be a valid boolean"),
    "integer": ("int_type", "Input should be a valid integer"),
    "number": ("float_type", "Input should be a valid number"),
    "object": ("dict_type", "Input should be a valid dictionary"),
    "array": ("list_type", "Input should be a valid list"),
}


def _item(violation: Violation) -> dict[str, Any]:
    """One violation as FastAPI lists it: ``{"loc": ["body", "name"], "msg": ..., "type": ...}``."""
    kind, msg = _pydantic(violation)
    loc = [part if isinstance(part, int) else truncate(part, 250) for part in violation.loc]
    return {"loc": loc, "msg": truncate(msg, 1000), "type": kind}


def _pydantic(violation: Violation) -> tuple[str, str]:
    """pydantic's error type and message for a violation (the core's own wording where pydantic has none)."""
    params = violation.params
    limit = params.get("limit")
    plural = "" if limit == 1 else "s"
    match violation.kind:
        case "required":
            return "missing", "Field required"
        case "additionalProperties":
            return "extra_forbidden", "Extra inputs are not permitted"
        case "type":
            expected = [t for t in params.get("types", []) if t != "null"]
            return _TYPE_ERRORS.get(expected[0] if expected else "", ("type_error", "Input has the wrong type"))
        case "minLength":
            return "string_too_short", f"String should have at least {limit} character{plural}"
        case "maxLength":
            return "string_too_long", f"String should have at most {limit} character{plural}"
        case "pattern":
            return "string_pattern_mismatch", f"String should match pattern '{params.get('pattern')}'"
        case "enum":
            return "enum", "Input should be " + " or ".join(repr(o) for o in params.get("options", []))
        case "":
            if violation.message == "is required":  # no body at all
                return "missing", "Field required"
    return _snake(violation.kind or "value_error"), violation.message[:1].upper() + violation.message[1:]


def _snake(name: str) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in name).lstrip("_")

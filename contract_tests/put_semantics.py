"""Our own schemathesis checks: what a PUT must do beyond answering in the documented shape.

Registered with ``@schemathesis.check`` when ``conftest.py`` imports this module, so every contract run uses
them on every target next to the built-in checks:

- ``put_reflects_request``: a 2xx answer carries each scalar field sent that its schema also has, as sent;
- ``put_is_idempotent``: sending the same PUT again gives the same status and body (timestamps aside);
- ``put_keeps_or_clears_unsent_fields``: the operation's ``x-put-semantics`` says what a PUT with only the
  required fields does to the fields it leaves out: ``partial`` keeps them, ``replace`` clears them;
- ``put_tenants_isolated``: a write is invisible to another tenant (on the mock, via ``GET /__mock__/state``).

They look only at positive cases of PUT operations, sent with the operation's own method and answered 2xx:
a rejected or deliberately invalid request says nothing about update semantics.
"""

from __future__ import annotations

import json
import re
from typing import Any

import schemathesis
from schemathesis import GenerationMode

from .contract import current_target

SEMANTICS_KEY = "x-put-semantics"
PARTIAL = "partial"
REPLACE = "replace"
#: Fields a write may legitimately change on every call (COR's updated_at, Nexudus's UpdatedOn, ...).
TIMESTAMP_FIELD = re.compile(r"(?i)^(updated|modified|last_?modified)(_?(at|on|date|time))?$")
_SCALARS = (str, int, float, bool, type(None))


def _applies(case: Any, response: Any) -> bool:
    if case.method.upper() != "PUT" or case.operation.method.upper() != "PUT":
        return False
    if not 200 <= response.status_code < 300 or not isinstance(case.body, dict):
        return False
    meta = case.meta
    return meta is None or meta.generation.mode == GenerationMode.POSITIVE


def _json(response: Any) -> Any:
    try:
        return response.json()
    except (ValueError, json.JSONDecodeError):
        return None


def _resolve(document: Any, schema: Any) -> Any:
    """``schema`` with its ``$ref`` followed (internal refs only, as every spec here has)."""
    seen = 0
    while isinstance(schema, dict) and "$ref" in schema and seen < 32:
        target = document
        for part in schema["$ref"].removeprefix("#/").split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        schema, seen = target, seen + 1
    return schema


def _properties(document: Any, schema: Any) -> dict[str, Any]:
    """Properties of an object schema, including those its ``allOf`` parts declare."""
    schema = _resolve(document, schema)
    if not isinstance(schema, dict):
        return {}
    found = dict(schema.get("properties", {}))
    for part in schema.get("allOf", []):
        found.update(_properties(document, part))
    return found


def _required(document: Any, schema: Any) -> set[str]:
    schema = _resolve(document, schema)
    if not isinstance(schema, dict):
        return set()
    found = set(schema.get("required", []))
    for part in schema.get("allOf", []):
        found |= _required(document, part)
    return found


def _json_content_schema(document: Any, container: Any) -> Any:
    container = _resolve(document, container)
    for media_type, content in (container or {}).get("content", {}).items():
        if "json" in media_type:
            return content.get("schema")
    return None


def _request_schema(case: Any) -> Any:
    operation = case.operation.definition.raw
    return _json_content_schema(case.operation.schema.raw_schema, operation.get("requestBody"))


def _response_schema(case: Any, status: int) -> Any:
    responses = case.operation.definition.raw.get("responses", {})
    declared = responses.get(str(status)) or responses.get(f"{str(status)[0]}XX") or responses.get("default")
    return _json_content_schema(case.operation.schema.raw_schema, declared)


def _same(sent: Any, received: Any) -> bool:
    """JSON equality: 8 equals 8.0, but true does not equal 1."""
    if isinstance(sent, bool) or isinstance(received, bool):
        return type(sent) is type(received) and sent == received
    return bool(sent == received)


def without_timestamps(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: without_timestamps(v) for k, v in value.items() if not TIMESTAMP_FIELD.match(str(k))}
    if isinstance(value, list):
        return [without_timestamps(item) for item in value]
    return value


def _resend(case: Any, body: Any) -> Any:
    """Send ``case`` again (to the same target, as the same tenant), with ``body``."""
    target = current_target()
    assert target is not None
    again = case.derive(keep_auth=True)
    again.body = body
    return again.call(**target.call_kwargs())


@schemathesis.check
def put_reflects_request(ctx: Any, response: Any, case: Any) -> bool | None:
    """A 2xx answer to a PUT shows each scalar field sent (that its schema has) with the value sent."""
    if not _applies(case, response):
        return None
    received = _json(response)
    if not isinstance(received, dict):
        return None
    shown = _properties(case.operation.schema.raw_schema, _response_schema(case, response.status_code))
    wrong = {
        name: (value, received.get(name))
        for name, value in case.body.items()
        if name in shown and isinstance(value, _SCALARS) and not _same(value, received.get(name))
    }
    if wrong:
        detail = ", ".join(f"{name}: sent {sent!r}, got {got!r}" for name, (sent, got) in sorted(wrong.items()))
        raise AssertionError(f"The response does not show the values sent: {detail}")
    return None


@schemathesis.check
def put_is_idempotent(ctx: Any, response: Any, case: Any) -> bool | None:
    """Sending the same PUT again gives the same status and the same body, timestamps aside."""
    if not _applies(case, response) or current_target() is None:
        return None
    again = _resend(case, case.body)
    first, second = without_timestamps(_json(response)), without_timestamps(_json(again))
    if again.status_code != response.status_code or first != second:
        raise AssertionError(
            f"Repeating the PUT changed the result: first {response.status_code} {first!r}, "
            f"then {again.status_code} {second!r}"
        )
    return None


@schemathesis.check
def put_keeps_or_clears_unsent_fields(ctx: Any, response: Any, case: Any) -> bool | None:
    """A PUT with only the required fields keeps (``partial``) or clears (``replace``) the others."""
    semantics = case.operation.definition.raw.get(SEMANTICS_KEY)
    if semantics not in (PARTIAL, REPLACE) or not _applies(case, response) or current_target() is None:
        return None
    document = case.operation.schema.raw_schema
    request_schema = _request_schema(case)
    required = _required(document, request_schema)
    minimal = {name: value for name, value in case.body.items() if name in required}
    after = _resend(case, minimal)
    if not 200 <= after.status_code < 300:
        raise AssertionError(
            f"A PUT with only the required fields ({', '.join(sorted(minimal)) or 'none'}) was refused: "
            f"{after.status_code} {_json(after)!r}"
        )
    before_body, after_body = _json(response), _json(after)
    if semantics == PARTIAL:
        if without_timestamps(before_body) != without_timestamps(after_body):
            raise AssertionError(
                "x-put-semantics is partial, but a PUT without the optional fields changed them: "
                f"before {before_body!r}, after {after_body!r}"
            )
        return None
    requested = _properties(document, request_schema)
    shown = _properties(document, _response_schema(case, after.status_code))
    kept = {
        name: after_body.get(name)
        for name in case.body
        if name not in required
        and name in shown
        and isinstance(after_body, dict)
        and after_body.get(name) is not None
        and not _same(after_body.get(name), _resolve(document, requested.get(name, {})).get("default"))
    }
    if kept:
        raise AssertionError(f"x-put-semantics is replace, but fields left out of the PUT kept their values: {kept!r}")
    return None


@schemathesis.check
def put_tenants_isolated(ctx: Any, response: Any, case: Any) -> bool | None:
    """A write by one tenant leaves every other tenant's state as it was (mock targets only)."""
    target = current_target()
    if target is None or not target.has_control_api or not _applies(case, response):
        return None
    assert target.bystander is not None
    if target.tenant_state(target.bystander) != target.bystander_baseline:
        raise AssertionError("A write by one tenant changed the state another tenant sees in GET /__mock__/state")
    return None

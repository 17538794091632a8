"""Our own schemathesis checks: what a PUT must do beyond answering in the documented shape.

Registered with ``@schemathesis.check`` when ``conftest.py`` imports this module, so every contract run uses
them on every target next to the built-in checks:

- ``put_reflects_request``: a 2xx answer carries each scalar field sent that its schema also has, as sent;
- ``put_is_idempotent``: sending the same PUT again gives the same status and body (timestamps aside);
- ``put_keeps_or_clears_unsent_fields``: the operation's ``x-put-semantics`` says what a PUT with only the
  required fields does to the fields it leaves out: ``partial`` keeps them, ``replace`` clears them;
- ``put_tenants_isolated``: a write is invisible to another tenant (on the mock, via ``GET /__mock__/state``).

They look only at positive cases of PUT operations, sent with the operation's own method and answered 2xx:
a rejected or deliberately invalid request says nothing about update semantics. Where the 2xx response has an
OpenAPI link to a GET (Nexudus answers a write with an envelope, not the record), the stored entity is read
back along it; a write whose link points to another place (a rename) moved its entity, so it is not repeated.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import schemathesis
from schemathesis import GenerationMode

from .contract import current_target, resolve_ref

SEMANTICS_KEY = "x-put-semantics"
PARTIAL = "partial"
REPLACE = "replace"
#: Fields a write may legitimately change on every call (COR's updated_at, Nexudus's UpdatedOn, ...).
TIMESTAMP_FIELD = re.compile(r"(?i)^(updated|modified|last_?modified)(_?(at|on|date|time))?$")
_SCALARS = (str, int, float, bool, type(None))
#: Values a cleared field may hold after a full replace.
_EMPTY: tuple[Any, ...] = (None, "", False, 0)


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


def _properties(document: Any, schema: Any) -> dict[str, Any]:
    """Properties of an object schema, including those its ``allOf`` parts declare."""
    schema = resolve_ref(document, schema)
    if not isinstance(schema, dict):
        return {}
    found = dict(schema.get("properties", {}))
    for part in schema.get("allOf", []):
        found.update(_properties(document, part))
    return found


def _required(document: Any, schema: Any) -> set[str]:
    schema = resolve_ref(document, schema)
    if not isinstance(schema, dict):
        return set()
    found = set(schema.get("required", []))
    for part in schema.get("allOf", []):
        found |= _required(document, part)
    return found


def _json_content_schema(document: Any, container: Any) -> Any:
    container = resolve_ref(document, container)
    for media_type, content in (container or {}).get("content", {}).items():
        if "json" in media_type:
            return content.get("schema")
    return None


def _request_schema(case: Any) -> Any:
    return _json_content_schema(case.operation.schema.raw_schema, case.operation.definition.raw.get("requestBody"))


def _declared_response(operation: Any, status: int) -> Any:
    responses = operation.definition.raw.get("responses", {})
    declared = responses.get(str(status)) or responses.get(f"{str(status)[0]}XX") or responses.get("default")
    return resolve_ref(operation.schema.raw_schema, declared)


def same_json(sent: Any, received: Any) -> bool:
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


def _resend(case: Any, body: Any) -> tuple[Any, Any]:
    """Send ``case`` again (to the same target, as the same tenant) with ``body``: the case sent and its response."""
    target = current_target()
    assert target is not None
    again = case.derive(keep_auth=True)
    again.body = body
    return again, again.call(**target.call_kwargs())


# -- reading the entity back along an OpenAPI link ---------------------------------------------------------------


@dataclass(frozen=True)
class ReadBack:
    """How to read back what a write stored: the GET a link names, with its parameters."""

    link: str
    operation_id: str
    parameters: dict[str, Any]
    #: Whether the link points elsewhere than the write's own path parameters (the entity moved).
    moved: bool


def _pointer(document: Any, pointer: str) -> Any:
    for part in pointer.lstrip("/").split("/") if pointer.strip("/") else []:
        part = part.replace("~1", "/").replace("~0", "~")
        if isinstance(document, list) and part.isdigit() and int(part) < len(document):
            document = document[int(part)]
        elif isinstance(document, dict) and part in document:
            document = document[part]
        else:
            return None
    return document


def _evaluate(expression: Any, case: Any, response: Any) -> Any:
    """An OpenAPI runtime expression (``$request.path.id``, ``$response.body#/key`` ...) or a constant."""
    if not (isinstance(expression, str) and expression.startswith("$")):
        return expression
    source, _, pointer = expression.partition("#")
    if source == "$request.body":
        return _pointer(case.body, pointer)
    if source == "$response.body":
        return _pointer(_json(response), pointer)
    for prefix, values in (
        ("$request.path.", case.path_parameters),
        ("$request.query.", case.query),
        ("$request.header.", case.headers),
        ("$response.header.", response.headers),
    ):
        if source.startswith(prefix):
            return (values or {}).get(source.removeprefix(prefix))
    return None


def _read_back(case: Any, response: Any) -> ReadBack | None:
    """The first link of the 2xx response to a GET operation, evaluated for this request and response."""
    document = case.operation.schema.raw_schema
    links = (_declared_response(case.operation, response.status_code) or {}).get("links", {})
    for name, link in links.items():
        link = resolve_ref(document, link)
        operation_id = link.get("operationId")
        if not operation_id:
            continue
        target = case.operation.schema.find_operation_by_id(operation_id)
        if target.method.upper() != "GET":
            continue
        parameters = {
            key.split(".")[-1]: _evaluate(value, case, response) for key, value in link.get("parameters", {}).items()
        }
        own = case.path_parameters or {}
        moved = any(key in own and not same_json(own[key], value) for key, value in parameters.items())
        return ReadBack(name, operation_id, parameters, moved)
    return None


def _security_headers(case: Any) -> dict[str, Any]:
    """The credential headers of ``case``, to send with a read-back as the same tenant."""
    schemes = case.operation.schema.raw_schema.get("components", {}).get("securitySchemes", {})
    names = {"authorization"} | {
        scheme["name"].lower()
        for scheme in schemes.values()
        if scheme.get("type") == "apiKey" and scheme.get("in") == "header"
    }
    return {key: value for key, value in (case.headers or {}).items() if key.lower() in names}


def stored_entity(case: Any, response: Any) -> Any:
    """What the write stored: read back along the response's link to a GET, or else the response body itself."""
    read_back = _read_back(case, response)
    if read_back is None:
        return _json(response)
    target = current_target()
    assert target is not None
    operation = case.operation.schema.find_operation_by_id(read_back.operation_id)
    path_names = set(re.findall(r"\{([^}]+)\}", operation.path))
    get = operation.Case(
        path_parameters={k: v for k, v in read_back.parameters.items() if k in path_names},
        query={k: v for k, v in read_back.parameters.items() if k not in path_names} or None,
        headers=_security_headers(case),
    )
    answer = get.call(**target.call_kwargs())
    if not 200 <= answer.status_code < 300:
        raise AssertionError(
            f"The written entity cannot be read back along the link {read_back.link} "
            f"({operation.label} {read_back.parameters}): {answer.status_code} {_json(answer)!r}"
        )
    return _json(answer)


def _moved(case: Any, response: Any) -> bool:
    read_back = _read_back(case, response)
    return read_back is not None and read_back.moved


# -- the checks ----------------------------------------------------------------------------------------------------


@schemathesis.check
def put_reflects_request(ctx: Any, response: Any, case: Any) -> bool | None:
    """A 2xx answer to a PUT shows each scalar field sent (that both schemas declare) with the value sent."""
    if not _applies(case, response):
        return None
    received = _json(response)
    if not isinstance(received, dict):
        return None
    document = case.operation.schema.raw_schema
    requested = _properties(document, _request_schema(case))
    shown = _properties(
        document, _json_content_schema(document, _declared_response(case.operation, response.status_code))
    )
    wrong = {
        name: (value, received.get(name))
        for name, value in case.body.items()
        if name in requested
        and name in shown
        and isinstance(value, _SCALARS)
        and not same_json(value, received.get(name))
    }
    if wrong:
        detail = ", ".join(f"{name}: sent {sent!r}, got {got!r}" for name, (sent, got) in sorted(wrong.items()))
        raise AssertionError(f"The response does not show the values sent: {detail}")
    return None


@schemathesis.check
def put_is_idempotent(ctx: Any, response: Any, case: Any) -> bool | None:
    """Sending the same PUT again gives the same status and the same body, timestamps aside."""
    if not _applies(case, response) or current_target() is None or _moved(case, response):
        return None
    _, again = _resend(case, case.body)
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
    if _moved(case, response):
        return None
    document = case.operation.schema.raw_schema
    request_schema = _request_schema(case)
    required = _required(document, request_schema)
    before = stored_entity(case, response)
    minimal = {name: value for name, value in case.body.items() if name in required}
    sent, after_response = _resend(case, minimal)
    if not 200 <= after_response.status_code < 300:
        raise AssertionError(
            f"A PUT with only the required fields ({', '.join(sorted(minimal)) or 'none'}) was refused: "
            f"{after_response.status_code} {_json(after_response)!r}"
        )
    after = stored_entity(sent, after_response)
    if semantics == PARTIAL:
        if without_timestamps(before) != without_timestamps(after):
            raise AssertionError(
                "x-put-semantics is partial, but a PUT without the optional fields changed them: "
                f"before {before!r}, after {after!r}"
            )
        return None
    requested = _properties(document, request_schema)
    kept = {
        name: value
        for name, value in case.body.items()
        if name in requested
        and name not in required
        and isinstance(value, _SCALARS)
        and value not in _EMPTY
        and not same_json(value, resolve_ref(document, requested[name]).get("default"))
        and isinstance(after, dict)
        and name in after
        and same_json(after[name], value)
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

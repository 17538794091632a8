"""Request reading and validation: the pipeline's parameter, body and response stages.

Bodies are read under the limits of DESIGN "Validation and limits" and parsed strictly (no duplicate keys,
NaN, unbounded nesting, invalid UTF-8 or unpaired surrogates); every violation is reported, up to
``MAX_VIOLATIONS``; each schema is compiled once (with the Rust ``jsonschema_rs``).
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

import jsonschema_rs
from starlette.types import Receive

if TYPE_CHECKING:
    from .routing import Operation

from .errors import (
    ClientDisconnected,
    InternalError,
    MalformedRequest,
    PayloadTooLarge,
    UnsupportedMediaType,
    ValidationFailed,
    Violation,
    truncate,
)

MAX_BODY_BYTES = 1024 * 1024
MAX_DEPTH = 64
MAX_NUMBER_CHARS = 100

# Keys of OpenAPI 3.0 schemas that are not JSON Schema validation keywords.
_ANNOTATIONS = frozenset(
    {
        "example",
        "examples",
        "description",
        "title",
        "xml",
        "externalDocs",
        "deprecated",
        "discriminator",
        "readOnly",
        "writeOnly",
        "nullable",
        "components",
        "default",
    }
)


# -- OpenAPI 3.0 schema → JSON Schema 2020-12 ------------------------------------------------------------------


def to_json_schema(schema: Any) -> Any:
    """Translate an (already dereferenced) OpenAPI 3.0 schema to JSON Schema 2020-12.

    ``nullable`` becomes a ``null`` type, boolean ``exclusiveMinimum``/``exclusiveMaximum`` become numeric
    bounds, and annotations and ``x-`` extensions are dropped.
    """
    if isinstance(schema, list):
        return [to_json_schema(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key in _ANNOTATIONS or key.startswith("x-"):
            continue
        if key == "properties":
            out[key] = {name: to_json_schema(sub) for name, sub in value.items()}
        elif key in ("exclusiveMinimum", "exclusiveMaximum"):
            bound = "minimum" if key == "exclusiveMinimum" else "maximum"
            if value is True and bound in schema:
                out[key] = schema[bound]
        elif key in ("minimum", "maximum") and schema.get("exclusive" + key.capitalize()) is True:
            continue
        else:
            out[key] = to_json_schema(value)
    if schema.get("format") == "date-time":
        # RFC 3339 also allows a lower-case "t" and "z"; OpenAPI tools, and so the clients, do not.
        out = {"allOf": [out, {"pattern": _DATE_TIME}]} if "pattern" in out else {**out, "pattern": _DATE_TIME}
    bounds = _INT_BOUNDS.get(schema.get("format", "")) if schema.get("type") == "integer" else None
    if bounds is not None:
        # OpenAPI's integer formats are ranges; JSON Schema knows them only as bounds.
        out["minimum"] = max(out.get("minimum", bounds[0]), bounds[0])
        out["maximum"] = min(out.get("maximum", bounds[1]), bounds[1])
    if schema.get("nullable") is True:
        if "type" in out:
            out["type"] = [out["type"], "null"]
            if "enum" in out and None not in out["enum"]:
                out["enum"] = [*out["enum"], None]
        else:
            out = {"anyOf": [out, {"type": "null"}]}
    return out


MAX_VIOLATIONS = 100
"""Violations reported per request at most; past it the list ends with one "and more" entry."""

_DATE_TIME = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$"
_INT_BOUNDS = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}


@functools.cache
def _lazy_validator() -> Any:
    """``jsonschema``'s 2020-12 validator, whose errors come one at a time (so a request's cost stops at
    ``MAX_VIOLATIONS``) and hold references to the instance instead of copies; ``required`` and
    ``additionalProperties`` report the field they name in the error's path, and ``pattern`` and ``format``
    ask ``jsonschema_rs``, so both engines agree. Imported on the first invalid instance, not at start-up."""
    from jsonschema import Draft202012Validator, validators
    from jsonschema.exceptions import ValidationError

    def keyword_check(keyword: str) -> Any:
        def check(validator: Any, value: Any, instance: Any, schema: Any) -> Iterator[Any]:
            if not compiled({keyword: value}).is_valid(instance):
                yield ValidationError(f"does not satisfy {keyword} {value!r}")

        return check

    def required(validator: Any, names: Any, instance: Any, schema: Any) -> Iterator[Any]:
        if validator.is_type(instance, "object"):
            for name in names:
                if name not in instance:
                    yield ValidationError("is required", path=[name])

    def additional_properties(validator: Any, allowed: Any, instance: Any, schema: Any) -> Iterator[Any]:
        if not validator.is_type(instance, "object"):
            return
        declared = schema.get("properties", {})
        patterns = [compiled({"pattern": p}) for p in schema.get("patternProperties", {})]
        for name, value in instance.items():
            if name in declared or any(p.is_valid(name) for p in patterns):
                continue
            if allowed is False:
                yield ValidationError("is not a known field", path=[name])
            elif isinstance(allowed, dict):
                yield from validator.descend(value, allowed, path=name)

    return validators.extend(
        Draft202012Validator,
        {
            "pattern": keyword_check("pattern"),
            "format": keyword_check("format"),
            "required": required,
            "additionalProperties": additional_properties,
        },
    )


class _Compiled:
    """Validators of each schema object of the resolved specs (each prepared once, so the same dict), built once.

    ``jsonschema_rs`` answers whether an instance is valid, fast; only an invalid one is walked again, lazily,
    for its violations: ``jsonschema_rs`` builds every error up front, with a copy of the failing instance,
    which for a large invalid body costs seconds and gigabytes.
    """

    def __init__(self) -> None:
        self._cache: dict[int, tuple[Any, jsonschema_rs.Draft202012Validator, Any]] = {}

    def entry(self, schema: Any) -> tuple[Any, jsonschema_rs.Draft202012Validator, Any]:
        entry = self._cache.get(id(schema))
        if entry is None or entry[0] is not schema:
            translated = to_json_schema(schema)
            fast = jsonschema_rs.Draft202012Validator(translated, validate_formats=True)
            entry = (schema, fast, translated)
            self._cache[id(schema)] = entry
        return entry

    def __call__(self, schema: Any) -> jsonschema_rs.Draft202012Validator:
        return self.entry(schema)[1]


compiled = _Compiled()


def violations(schema: Any, instance: Any, where: tuple[str | int, ...]) -> list[Violation]:
    """Every way ``instance`` breaks ``schema`` (at most ``MAX_VIOLATIONS``), located under ``where``."""
    _, fast, translated = compiled.entry(schema)
    if fast.is_valid(instance):
        return []
    found: list[Violation] = []
    for error in _lazy_validator()(translated).iter_errors(instance):
        if len(found) == MAX_VIOLATIONS:
            found.append(Violation(where, f"and more violations; only the first {MAX_VIOLATIONS} are listed"))
            break
        found.append(_violation(error, where))
    # The engines agree on every keyword the specs use; should they ever differ, the request is still refused.
    return found or [Violation(where, "is invalid")]


def _violation(error: Any, where: tuple[str | int, ...]) -> Violation:
    loc = (*where, *error.absolute_path)
    name = error.validator
    if name in ("required", "additionalProperties"):
        return Violation(loc, error.message, kind=name)
    detail = _params(name, error.validator_value)
    message = _message(name, detail, error.message)
    if "propertyNames" in error.schema_path:  # the instance is a key of the object at ``loc``
        message = f"has a key {truncate(error.instance)!r} that {message}"
    return Violation(loc, message, error.instance, kind=name, params=detail)


def _params(name: str, value: Any) -> dict[str, Any]:
    """The failing keyword's parameters, named as renderers read them (``limit``, ``types``, ``options``...)."""
    if name == "type":
        return {"types": [value] if isinstance(value, str) else list(value)}
    if name == "enum":
        return {"options": list(value)}
    if name in ("format", "pattern"):
        return {name: value}
    if name == "multipleOf":
        return {"multiple_of": value}
    if name in ("maxLength", "minLength", "maximum", "minimum", "exclusiveMaximum", "exclusiveMinimum"):
        return {"limit": value}
    if name in ("maxItems", "minItems", "maxProperties", "minProperties"):
        return {"limit": value}
    return {}


def _message(name: str, detail: Mapping[str, Any], fallback: str) -> str:
    """A message that never echoes the offending value (which may be huge)."""
    limit = detail.get("limit")
    messages = {
        "type": lambda: "must be of type " + " or ".join(map(str, detail.get("types", []))),
        "enum": lambda: "must be one of: " + ", ".join(map(str, detail.get("options", []))),
        "maxLength": lambda: f"must be at most {limit} characters long",
        "minLength": lambda: f"must be at least {limit} characters long",
        "maximum": lambda: f"must be at most {limit}",
        "minimum": lambda: f"must be at least {limit}",
        "exclusiveMaximum": lambda: f"must be less than {limit}",
        "exclusiveMinimum": lambda: f"must be greater than {limit}",
        "maxItems": lambda: f"must have at most {limit} items",
        "minItems": lambda: f"must have at least {limit} items",
        "format": lambda: f"must be a valid {detail.get('format')}",
        "pattern": lambda: f"must match the pattern {detail.get('pattern')}",
        "uniqueItems": lambda: "must not contain duplicate items",
        "multipleOf": lambda: f"must be a multiple of {detail.get('multiple_of', '')}".rstrip(),
    }
    make = messages.get(name)
    return make() if make else truncate(fallback, 200)


# -- Strict JSON ------------------------------------------------------------------------------------------------


def _reject_constant(name: str) -> Any:
    raise MalformedRequest(f"{name} is not valid JSON")


def _parse_int(text: str) -> int:
    if len(text) > MAX_NUMBER_CHARS:
        raise MalformedRequest(f"a number has more than {MAX_NUMBER_CHARS} digits")
    return int(text)


def _parse_float(text: str) -> float | int:
    """A JSON number with a fraction or exponent; an integral one (``123.0``, ``1e2``) becomes an int.

    JSON Schema counts ``123.0`` as an integer, so validation lets it through where an integer is expected;
    handlers, storage and responses must then see the same value, ``123``, not a float that compares,
    hashes and serialises differently.
    """
    if len(text) > MAX_NUMBER_CHARS:
        raise MalformedRequest(f"a number has more than {MAX_NUMBER_CHARS} digits")
    value = float(text)
    if math.isinf(value):
        raise MalformedRequest("a number is out of range")
    return int(value) if value.is_integer() else value


def _object_without_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        duplicate = next(key for key, _ in pairs if key in seen or seen.add(key))  # type: ignore[func-returns-value]
        raise MalformedRequest(f"duplicate key {truncate(duplicate)!r}: ambiguous input is refused")
    return obj


_decoder = json.JSONDecoder(
    object_pairs_hook=_object_without_duplicates,
    parse_constant=_reject_constant,
    parse_int=_parse_int,
    parse_float=_parse_float,
)


#: A ``\\u`` escape of a UTF-16 surrogate: only such a body can decode to a string Python cannot encode.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


def _has_lone_surrogate(value: Any) -> bool:
    """Whether a string or key anywhere in ``value`` holds an unpaired surrogate (a paired one decodes whole)."""
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            if not _encodable(node):
                return True
        elif isinstance(node, dict):
            stack.extend(node.keys())
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return False


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _depth_exceeds(value: Any, limit: int) -> bool:
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            children: Iterable[Any] = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def parse_json(raw: bytes) -> Any:
    """Parse a request body, refusing what a lenient parser would guess at.

    Raises :class:`MalformedRequest` for invalid UTF-8, syntax errors, duplicate keys, NaN/Infinity,
    numbers longer than ``MAX_NUMBER_CHARS``, nesting deeper than ``MAX_DEPTH`` and escapes of unpaired
    UTF-16 surrogates (``"\\ud800"``), which I-JSON (RFC 7493) forbids and no UTF-8 response can carry.
    """
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MalformedRequest(f"the body is not valid UTF-8 (byte {exc.start})") from None
    if text.startswith("\ufeff"):
        raise MalformedRequest("the body must not start with a byte order mark")
    try:
        value, end = _decoder.raw_decode(text, _skip_space(text, 0))
    except json.JSONDecodeError as exc:
        raise MalformedRequest(
            f"the body is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        ) from None
    except RecursionError:
        raise MalformedRequest(f"the body is nested deeper than {MAX_DEPTH} levels") from None
    except ValueError as exc:  # int() refusing a huge literal
        raise MalformedRequest(f"the body is not valid JSON: {truncate(str(exc))}") from None
    if _skip_space(text, end) != len(text):
        raise MalformedRequest("the body has extra data after the JSON value")
    # Only a body with more brackets than the limit can nest deeper than it; most bodies skip the walk.
    if raw.count(b"[") + raw.count(b"{") > MAX_DEPTH and _depth_exceeds(value, MAX_DEPTH):
        raise MalformedRequest(f"the body is nested deeper than {MAX_DEPTH} levels")
    if _SURROGATE_ESCAPE.search(raw) and _has_lone_surrogate(value):
        raise MalformedRequest("the body escapes an unpaired UTF-16 surrogate, which I-JSON (RFC 7493) forbids")
    return value


def _skip_space(text: str, index: int) -> int:
    while index < len(text) and text[index] in " \t\n\r":
        index += 1
    return index


# -- requests and responses ---------------------------------------------------------------------------------------


async def read_body(receive: Receive, headers: Mapping[str, str]) -> bytes:
    """Read the whole body, at most ``MAX_BODY_BYTES``; past that answer 413 without reading the rest.

    A client that goes away before the body is complete gets nothing applied: the request ends here.
    """
    declared = headers.get("content-length")
    if declared is not None:
        if not (declared.isascii() and declared.isdigit()):
            raise MalformedRequest("Content-Length is not a number")
        if int(declared) > MAX_BODY_BYTES:
            raise PayloadTooLarge(f"the body is larger than {MAX_BODY_BYTES} bytes")
    chunks: list[bytes] = []
    size = 0
    more = True
    while more:
        message = await receive()
        if message["type"] != "http.request":
            raise ClientDisconnected()
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise PayloadTooLarge(f"the body is larger than {MAX_BODY_BYTES} bytes")
        chunks.append(chunk)
        more = message.get("more_body", False)
    return b"".join(chunks)


def _charset(content_type: str) -> str | None:
    """The charset parameter of a Content-Type, lower-cased."""
    for parameter in content_type.split(";")[1:]:
        name, _, value = parameter.strip().partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip('"').lower()
    return None


def check_content_type(operation: Operation, headers: Mapping[str, str]) -> None:
    """415 unless the request says it sends one of the media types the operation takes, as UTF-8."""
    content_type = headers.get("content-type")
    if not content_type:
        raise UnsupportedMediaType("Content-Type is missing; send application/json")
    mime = content_type.split(";", 1)[0].strip().lower()
    if mime not in operation.consumes:
        raise UnsupportedMediaType(
            f"Content-Type {truncate(mime, 80)} is not supported; send {' or '.join(operation.consumes)}"
        )
    charset = _charset(content_type)
    if charset not in (None, "utf-8", "utf8"):
        raise UnsupportedMediaType(f"charset {truncate(charset, 40)} is not supported; send UTF-8 JSON")


def parse_body(operation: Operation, raw: bytes) -> Any:
    """The request body, parsed and validated against the operation's schema; ``None`` when absent."""
    body = operation.body
    if body is None:
        return None
    if not raw.strip():
        if body.required:
            raise ValidationFailed("the request body is required", violations=[Violation(("body",), "is required")])
        return None
    value = parse_json(raw)
    if value is None and body.nullable:
        return None
    if body.schema.get("type") == "object" and not isinstance(value, dict):
        raise MalformedRequest("the body must be a JSON object")
    found = violations(body.schema, value, ("body",))
    if found:
        raise ValidationFailed("the request body is invalid", violations=found)
    return value


def query_values(operation: Operation, query_string: bytes) -> dict[str, Any]:
    """The operation's query parameters, each as its schema's type where it parses as one (the last value wins)."""
    if not query_string:
        return {}
    parsed = parse_qs(query_string.decode("latin-1"), keep_blank_values=True)
    return {
        name: coerce(values[-1], operation.parameter_schema("query", name))
        for name, values in parsed.items()
        if any(p["in"] == "query" and p["name"] == name for p in operation.parameters)
    }


def coerce(value: str, schema: Mapping[str, Any]) -> Any:
    """A query value as its schema's type, or the text itself when it is not one (validation then says so)."""
    kind = schema.get("type")
    if kind == "boolean" and value.lower() in ("true", "false"):
        return value.lower() == "true"
    if kind == "integer" and value.lstrip("-").isdigit() and value.isascii() and len(value) <= MAX_NUMBER_CHARS:
        return int(value)
    if kind == "number":
        try:
            number = float(value)
        except ValueError:
            return value
        return number if math.isfinite(number) else value
    return value


def check_parameters(operation: Operation, path: Mapping[str, Any], query: Mapping[str, Any]) -> None:
    """Validate path and query parameters, reporting every violation at once."""
    sources = {"path": path, "query": query}
    found: list[Violation] = []
    for param in operation.parameters:
        values = sources.get(param["in"])
        if values is None:
            continue
        name = param["name"]
        value = values.get(name)
        if isinstance(value, str) and any(ord(c) < 32 for c in value):
            raise MalformedRequest(f"{param['in']} parameter {truncate(name)} contains control characters")
        if value is None:
            if param.get("required"):
                found.append(Violation((param["in"], name), "is required"))
            continue
        found.extend(violations(param.get("schema", {}), value, (param["in"], name)))
    if found:
        raise ValidationFailed("the request parameters are invalid", violations=found)


def check_response(operation: Operation, status: int, body: Any) -> None:
    """In tests: a response that breaks the spec becomes a 500 the test sees."""
    schema = operation.response_schema(status)
    if schema is None:
        if str(status) not in operation.responses and "default" not in operation.responses:
            raise InternalError(f"status {status} is not documented for {operation.operation_id}")
        return
    found = violations(schema, body, ("response",))
    if found:
        detail = "; ".join(f"{v.field}: {v.message}" for v in found)
        raise InternalError(f"Response body does not conform to specification: {truncate(detail, 900)}")

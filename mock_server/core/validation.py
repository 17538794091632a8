"""Request reading and validation, plugged into connexion through its ``validator_map``.

connexion's own validators stop at the first violation, re-compile the schema on every request, accept
duplicate keys, NaN and unbounded nesting, and answer invalid UTF-8 with a 500. These replacements read
the body under the limits of DESIGN "Validation and limits", report every violation, and compile each
schema once (with the Rust ``jsonschema_rs``).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import jsonschema_rs
from connexion.exceptions import NonConformingResponseBody
from connexion.lifecycle import ConnexionRequest
from connexion.middleware.request_validation import (
    RequestValidationAPI,
    RequestValidationMiddleware,
    RequestValidationOperation,
)
from connexion.validators import AbstractRequestBodyValidator, AbstractResponseBodyValidator, ParameterValidator
from jsonschema import Draft202012Validator as PyDraft202012Validator
from jsonschema import validators
from jsonschema.exceptions import ValidationError as PyValidationError
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from .errors import (
    ClientDisconnected,
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
#: Key in ``scope["extensions"]`` where the validated body is left for the handler, so it is parsed once.
PARSED_BODY = "mock_server.body"
#: Keys in ``scope["extensions"]``: the body's size, and that the client went away before sending all of it.
BODY_BYTES = "mock_server.body_bytes"
ABORTED = "mock_server.aborted"

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


def _keyword_check(keyword: str) -> Any:
    """A ``jsonschema`` keyword that asks ``jsonschema_rs`` instead, so both engines agree on regexes and formats."""

    def check(validator: Any, value: Any, instance: Any, schema: Any) -> Iterator[Any]:
        if not compiled({keyword: value}).is_valid(instance):
            yield PyValidationError(f"does not satisfy {keyword} {value!r}")

    return check


def _required(validator: Any, required: Any, instance: Any, schema: Any) -> Iterator[Any]:
    if validator.is_type(instance, "object"):
        for name in required:
            if name not in instance:
                yield PyValidationError("is required", path=[name])


def _additional_properties(validator: Any, allowed: Any, instance: Any, schema: Any) -> Iterator[Any]:
    if not validator.is_type(instance, "object"):
        return
    declared = schema.get("properties", {})
    patterns = [compiled({"pattern": p}) for p in schema.get("patternProperties", {})]
    for name, value in instance.items():
        if name in declared or any(p.is_valid(name) for p in patterns):
            continue
        if allowed is False:
            yield PyValidationError("is not a known field", path=[name])
        elif isinstance(allowed, dict):
            yield from validator.descend(value, allowed, path=name)


#: ``jsonschema``'s 2020-12 validator, whose errors come one at a time (so a request's cost stops at
#: ``MAX_VIOLATIONS``) and hold references to the instance instead of copies; ``required`` and
#: ``additionalProperties`` report the field they name in the error's path.
LazyValidator = validators.extend(
    PyDraft202012Validator,
    {
        "pattern": _keyword_check("pattern"),
        "format": _keyword_check("format"),
        "required": _required,
        "additionalProperties": _additional_properties,
    },
)


class _Compiled:
    """Validators of each schema object of the loaded spec (connexion hands out the same dict), built once.

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
            entry = (schema, fast, LazyValidator(translated))
            self._cache[id(schema)] = entry
        return entry

    def __call__(self, schema: Any) -> jsonschema_rs.Draft202012Validator:
        return self.entry(schema)[1]


compiled = _Compiled()


def violations(schema: Any, instance: Any, where: tuple[str | int, ...]) -> list[Violation]:
    """Every way ``instance`` breaks ``schema`` (at most ``MAX_VIOLATIONS``), located under ``where``."""
    _, fast, lazy = compiled.entry(schema)
    if fast.is_valid(instance):
        return []
    found: list[Violation] = []
    for error in lazy.iter_errors(instance):
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


# -- connexion validators ----------------------------------------------------------------------------------------


async def read_body(receive: Receive, scope: Scope) -> tuple[bytes, list[dict[str, Any]]]:
    """Read the whole body, at most ``MAX_BODY_BYTES``; past that answer 413 without reading the rest.

    A client that goes away before the body is complete gets nothing applied: the request ends here.
    """
    declared = Headers(scope=scope).get("content-length")
    if declared is not None:
        if not (declared.isascii() and declared.isdigit()):
            raise MalformedRequest("Content-Length is not a number")
        if int(declared) > MAX_BODY_BYTES:
            raise PayloadTooLarge(f"the body is larger than {MAX_BODY_BYTES} bytes")
    chunks: list[bytes] = []
    size = 0
    messages: list[Any] = []
    more = True
    while more:
        message = await receive()
        if message["type"] != "http.request":
            scope.setdefault("extensions", {})[ABORTED] = True
            raise ClientDisconnected()
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise PayloadTooLarge(f"the body is larger than {MAX_BODY_BYTES} bytes")
        chunks.append(chunk)
        messages.append(message)
        more = message.get("more_body", False)
    scope.setdefault("extensions", {})[BODY_BYTES] = size
    return b"".join(chunks), messages


def _charset(content_type: str) -> str | None:
    """The charset parameter of a Content-Type, lower-cased (connexion's parser misses ``; charset=``)."""
    for parameter in content_type.split(";")[1:]:
        name, _, value = parameter.strip().partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip('"').lower()
    return None


def _replay(receive: Receive, messages: list[dict[str, Any]]) -> Receive:
    pending = iter(messages)

    async def replayed() -> Any:
        try:
            return next(pending)
        except StopIteration:
            return await receive()

    return replayed


class JSONBodyValidator(AbstractRequestBodyValidator):
    """Reads, parses and validates a JSON request body; raises domain errors, never problem+json."""

    def __init__(
        self,
        *,
        schema: dict[str, Any],
        required: bool = False,
        nullable: bool = False,
        encoding: str,
        strict_validation: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            schema=schema, required=required, nullable=nullable, encoding=encoding, strict_validation=strict_validation
        )

    async def wrap_receive(self, receive: Receive, *, scope: Scope) -> tuple[Receive, Scope]:
        content_type = Headers(scope=scope).get("content-type")
        if not content_type:
            raise UnsupportedMediaType("Content-Type is missing; send application/json")
        charset = _charset(content_type)
        if charset not in (None, "utf-8", "utf8"):
            raise UnsupportedMediaType(f"charset {truncate(charset, 40)} is not supported; send UTF-8 JSON")
        raw, messages = await read_body(receive, scope)
        if not raw.strip():
            if self._required:
                raise ValidationFailed("the request body is required", violations=[Violation(("body",), "is required")])
            return _replay(receive, messages), scope
        body = parse_json(raw)
        if body is None and self._nullable:
            return _replay(receive, messages), scope
        if self._schema.get("type") == "object" and not isinstance(body, dict):
            raise MalformedRequest("the body must be a JSON object")
        found = violations(self._schema, body, ("body",))
        if found:
            raise ValidationFailed("the request body is invalid", violations=found)
        scope.setdefault("extensions", {})[PARSED_BODY] = body
        return _replay(receive, messages), scope


class CollectingParameterValidator(ParameterValidator):
    """Validates path, query and header parameters, reporting every violation at once."""

    def validate(self, scope: Scope) -> None:
        # Path parameters come typed from the router; a request object (and its URI parser, which coerces
        # query values) is only built when the operation declares query or header parameters.
        sources: dict[str, Mapping[str, Any]] = {"path": scope.get("path_params", {})}
        if self.parameters.get("query") or self.parameters.get("header"):
            request = ConnexionRequest(scope, uri_parser=self.uri_parser)
            sources.update(query=request.query_params, header=request.headers)
        found: list[Violation] = []
        for location, values in sources.items():
            for param in self.parameters.get(location, []):
                name = param["name"]
                value = values.get(name.replace("-", "_") if location == "path" else name)
                if location == "path" and isinstance(value, str) and any(ord(c) < 32 for c in value):
                    raise MalformedRequest(f"path parameter {name} contains control characters")
                if value is None:
                    if param.get("required"):
                        found.append(Violation((location, name), "is required"))
                    continue
                found.extend(violations(param.get("schema", {}), value, (location, name)))
        if found:
            raise ValidationFailed("the request parameters are invalid", violations=found)


class JSONResponseValidator(AbstractResponseBodyValidator):
    """Response validation for tests: a response that breaks the spec becomes a 500 the test sees."""

    def _parse(self, stream: Iterable[bytes]) -> Any:
        body = b"".join(stream).decode(self._encoding)
        if not body:
            return None
        try:
            return json.loads(body)
        except json.JSONDecodeError as exc:
            raise NonConformingResponseBody(f"response is not JSON: {exc}") from None

    def _validate(self, body: Any) -> None:
        found = violations(self._schema, body, ("response",))
        if found:
            detail = "; ".join(f"{v.field}: {v.message}" for v in found)
            raise NonConformingResponseBody(f"Response body does not conform to specification: {detail}")


class PreparedValidationOperation(RequestValidationOperation):
    """connexion's request validation with the per-operation work done once instead of per request.

    connexion rebuilds the URI parser, the parameter validator and media-type tables and re-derives the body
    schema on every request; for a small JSON PUT that was about half of the mock's own time per request.
    """

    def __init__(
        self,
        next_app: ASGIApp,
        *,
        operation: Any,
        strict_validation: bool = False,
        validator_map: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(
            next_app, operation=operation, strict_validation=strict_validation, validator_map=validator_map
        )
        uri_parser = operation._uri_parser_class(operation.parameters, operation.body_definition())
        self._parameters = self._validator_map["parameter"](
            operation.parameters,
            uri_parser=uri_parser,
            strict_validation=strict_validation,
            security_query_params=self.security_query_params,
        )
        self._consumes = [mime.lower() for mime in operation.consumes]
        self._bodies = {mime: self._body_validation(mime) for mime in self._consumes}

    def _body_validation(self, mime: str) -> tuple[type, dict[str, Any]] | None:
        schema = self._operation.body_schema(mime)
        if not schema:
            return None
        validator = self._validator_map["body"].get(mime)
        if validator is None:
            return None
        definition = self._operation.body_definition(mime)
        options = {
            "required": self._operation.request_body.get("required", False),
            "nullable": bool(definition.get("schema", {}).get("nullable", False)),
        }
        return validator, {"schema": schema, **options}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self._parameters.validate(scope)
        if self._consumes:
            content_type = Headers(scope=scope).get("content-type")
            mime = content_type.split(";", 1)[0].strip().lower() if content_type else self._consumes[0]
            if mime not in self._bodies:
                raise UnsupportedMediaType(
                    f"Content-Type {truncate(mime, 80)} is not supported; send {' or '.join(self._consumes)}"
                )
            prepared = self._bodies[mime]
            if prepared is not None:
                validator_class, options = prepared
                validator = validator_class(**options, encoding="utf-8", strict_validation=self.strict_validation)
                receive, scope = await validator.wrap_receive(receive, scope=scope)
        await self.next_app(scope, receive, send)


class PreparedValidationAPI(RequestValidationAPI):
    def make_operation(self, operation: Any) -> PreparedValidationOperation:
        return PreparedValidationOperation(
            self.next_app,
            operation=operation,
            strict_validation=self.strict_validation,
            validator_map=self.validator_map,
        )


class RequestValidation(RequestValidationMiddleware):
    """Drop-in for connexion's ``RequestValidationMiddleware`` (same position in the stack)."""

    api_cls = PreparedValidationAPI

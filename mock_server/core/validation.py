"""Request reading and validation, plugged into connexion through its ``validator_map``.

connexion's own validators stop at the first violation, re-compile the schema on every request, accept
duplicate keys, NaN and unbounded nesting, and answer invalid UTF-8 with a 500. These replacements read
the body under the limits of DESIGN "Validation and limits", report every violation, and compile each
schema once (with the Rust ``jsonschema_rs``).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
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
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from .errors import (
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
    if schema.get("nullable") is True:
        if "type" in out:
            out["type"] = [out["type"], "null"]
            if "enum" in out and None not in out["enum"]:
                out["enum"] = [*out["enum"], None]
        else:
            out = {"anyOf": [out, {"type": "null"}]}
    return out


class _Compiled:
    """Compiled validators, one per schema object of the loaded spec (connexion hands out the same dict)."""

    def __init__(self) -> None:
        self._cache: dict[int, tuple[Any, jsonschema_rs.Draft202012Validator]] = {}

    def __call__(self, schema: Any) -> jsonschema_rs.Draft202012Validator:
        entry = self._cache.get(id(schema))
        if entry is None or entry[0] is not schema:
            entry = (schema, jsonschema_rs.Draft202012Validator(to_json_schema(schema), validate_formats=True))
            self._cache[id(schema)] = entry
        return entry[1]


compiled = _Compiled()


def violations(schema: Any, instance: Any, where: tuple[str | int, ...]) -> list[Violation]:
    """Every way ``instance`` breaks ``schema``, located under ``where`` (e.g. ``("body",)``)."""
    found: list[Violation] = []
    for error in compiled(schema).iter_errors(instance):
        loc = (*where, *error.instance_path)
        kind: Any = error.kind  # the attributes depend on the kind
        name = kind.name
        if name == "required":
            found.append(Violation((*loc, kind.property), "is required", kind=name))
        elif name == "additionalProperties":
            found.extend(Violation((*loc, extra), "is not a known field", kind=name) for extra in kind.unexpected)
        else:
            detail = kind.as_dict()
            message = _message(name, detail, error.message)
            found.append(Violation(loc, message, _value_at(instance, error), kind=name, params=detail))
    return found


def _value_at(instance: Any, error: Any) -> Any:
    for part in error.instance_path:
        try:
            instance = instance[part]
        except (KeyError, IndexError, TypeError):
            return None
    return instance


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


def _parse_float(text: str) -> float:
    if len(text) > MAX_NUMBER_CHARS:
        raise MalformedRequest(f"a number has more than {MAX_NUMBER_CHARS} digits")
    value = float(text)
    if math.isinf(value):
        raise MalformedRequest("a number is out of range")
    return value


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
    numbers longer than ``MAX_NUMBER_CHARS`` and nesting deeper than ``MAX_DEPTH``.
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
    return value


def _skip_space(text: str, index: int) -> int:
    while index < len(text) and text[index] in " \t\n\r":
        index += 1
    return index


# -- connexion validators ----------------------------------------------------------------------------------------


async def read_body(receive: Receive, scope: Scope) -> tuple[bytes, list[dict[str, Any]]]:
    """Read the whole body, at most ``MAX_BODY_BYTES``; past that answer 413 without reading the rest."""
    declared = Headers(scope=scope).get("content-length")
    if declared is not None:
        if not declared.isdigit():
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
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise PayloadTooLarge(f"the body is larger than {MAX_BODY_BYTES} bytes")
        chunks.append(chunk)
        messages.append(message)
        more = message.get("more_body", False)
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

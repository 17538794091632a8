"""Reading OpenAPI 3.0 documents for the spec checks: loading, internal `$ref`s and example validation.

Examples are found by walking the document as written (so each is reported once, where it is written, as a
JSON pointer) and validated against their schema dereferenced against the whole document, with OpenAPI 3.0
semantics (``nullable``, ``int32``/``int64`` formats and so on).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from openapi_schema_validator import OAS30Validator, oas30_format_checker

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
# Keywords whose value is a schema, and those whose value is a list of schemas (OpenAPI 3.0 Schema Object).
_SUBSCHEMA = ("items", "additionalProperties", "not")
_SUBSCHEMA_LISTS = ("allOf", "anyOf", "oneOf")
_WHOLE: Any = object()  # dereference()'s default: the whole document (None is a valid node)


def load_document(path: Path) -> dict[str, Any]:
    """The YAML file at ``path``, which must hold a mapping."""
    with path.open(encoding="utf-8") as fh:
        document = yaml.safe_load(fh)
    if not isinstance(document, dict):
        raise ValueError(f"{path}: not a YAML mapping")
    return document


def pointer(*parts: str | int) -> str:
    """The JSON pointer fragment (RFC 6901) of ``parts``: ``pointer("paths", "/a/{id}")`` is ``#/paths/~1a~1{id}``."""
    return "#" + "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in parts)


def resolve(document: Any, ref: str) -> Any:
    """The node an internal ``$ref`` (``#/...``) points at; KeyError or IndexError when it points nowhere."""
    if not ref.startswith("#"):
        raise ValueError(f"not an internal $ref: {ref}")
    node = document
    for raw in ref.removeprefix("#").split("/")[1:]:
        part = raw.replace("~1", "/").replace("~0", "~")
        node = node[int(part)] if isinstance(node, list) else node[part]
    return node


def dereference(document: Any, node: Any = _WHOLE, _seen: tuple[str, ...] = ()) -> Any:
    """``node`` (default: the whole ``document``) with every ``$ref`` replaced by its target, recursively.

    As in OpenAPI 3.0, keys beside a ``$ref`` are ignored. A recursive ``$ref`` raises ValueError.
    """
    if node is _WHOLE:
        node = document
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            if ref in _seen:
                raise ValueError(f"recursive $ref: {' -> '.join((*_seen, ref))}")
            return dereference(document, resolve(document, ref), (*_seen, ref))
        return {key: dereference(document, value, _seen) for key, value in node.items()}
    if isinstance(node, list):
        return [dereference(document, item, _seen) for item in node]
    return node


def walk(node: Any, parts: tuple[str | int, ...] = ()) -> Iterator[tuple[tuple[str | int, ...], Any]]:
    """Every node of a YAML tree with the path of keys and indexes that leads to it, the root first."""
    yield parts, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from walk(value, (*parts, str(key)))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from walk(value, (*parts, index))


def refs(document: Any) -> Iterator[tuple[str, str]]:
    """``(where, target)`` for every ``$ref`` in the document."""
    for parts, node in walk(document):
        if isinstance(node, dict) and isinstance(node.get("$ref"), str):
            yield pointer(*parts), node["$ref"]


def extension_values(document: Any, name: str) -> Iterator[tuple[str, Any]]:
    """``(where, value)`` for every occurrence of the key ``name`` (such as ``x-assumption``) in the document."""
    for parts, node in walk(document):
        if isinstance(node, dict) and name in node:
            yield pointer(*parts, name), node[name]


def operations(document: Mapping[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """``(path, method, operation)`` for every operation of the document."""
    for path, item in document.get("paths", {}).items():
        for method in HTTP_METHODS:
            if method in item:
                yield path, method, item[method]


@dataclass(frozen=True)
class ExampleFailure:
    """An example that breaks its schema: where the example is written, where inside it, and why."""

    where: str
    instance_path: str
    message: str

    def __str__(self) -> str:
        inside = f" at {self.instance_path}" if self.instance_path else ""
        return f"{self.where}{inside}: {self.message}"


def example_failures(document: Mapping[str, Any]) -> list[ExampleFailure]:
    """Every example of the document that does not validate against its own schema.

    Covered: ``example``/``examples`` of media types (request bodies and responses), parameters and headers,
    and every schema-level or property-level ``example``, wherever the schema is written.
    """
    return _ExampleChecker(document).run()


class _ExampleChecker:
    def __init__(self, document: Mapping[str, Any]) -> None:
        self.document = document
        self.failures: list[ExampleFailure] = []

    def run(self) -> list[ExampleFailure]:
        for path, item in self.document.get("paths", {}).items():
            where = ("paths", path)
            for index, parameter in enumerate(item.get("parameters", [])):
                self.parameter(parameter, (*where, "parameters", index))
            for method in HTTP_METHODS:
                if method in item:
                    self.operation(item[method], (*where, method))
        components = self.document.get("components", {})
        for name, schema in components.get("schemas", {}).items():
            self.schema(schema, ("components", "schemas", name))
        for name, parameter in components.get("parameters", {}).items():
            self.parameter(parameter, ("components", "parameters", name))
        for name, header in components.get("headers", {}).items():
            self.parameter(header, ("components", "headers", name))
        for name, body in components.get("requestBodies", {}).items():
            self.content(body, ("components", "requestBodies", name))
        for name, response in components.get("responses", {}).items():
            self.response(response, ("components", "responses", name))
        return self.failures

    def operation(self, operation: Mapping[str, Any], where: tuple[str | int, ...]) -> None:
        for index, parameter in enumerate(operation.get("parameters", [])):
            self.parameter(parameter, (*where, "parameters", index))
        if "requestBody" in operation:
            self.content(operation["requestBody"], (*where, "requestBody"))
        for status, response in operation.get("responses", {}).items():
            self.response(response, (*where, "responses", str(status)))

    def response(self, response: Mapping[str, Any], where: tuple[str | int, ...]) -> None:
        for name, header in response.get("headers", {}).items():
            self.parameter(header, (*where, "headers", name))
        self.content(response, where)

    def parameter(self, parameter: Mapping[str, Any], where: tuple[str | int, ...]) -> None:
        """A Parameter or Header Object: its examples against its schema, or its content's."""
        if "$ref" in parameter:
            return  # checked where it is defined
        if "schema" in parameter:
            self.examples(parameter, parameter["schema"], where)
            self.schema(parameter["schema"], (*where, "schema"))
        self.content(parameter, where)

    def content(self, holder: Mapping[str, Any], where: tuple[str | int, ...]) -> None:
        """The media types of a request body, response, parameter or header (a ``$ref`` is checked at its target)."""
        if "$ref" in holder:
            return
        for media_type, media in holder.get("content", {}).items():
            at = (*where, "content", media_type)
            if "schema" in media:
                self.examples(media, media["schema"], at)
                self.schema(media["schema"], (*at, "schema"))

    def examples(self, holder: Mapping[str, Any], schema: Any, where: tuple[str | int, ...]) -> None:
        if "example" in holder:
            self.validate(holder["example"], schema, pointer(*where, "example"))
        for name, example in holder.get("examples", {}).items():
            at = pointer(*where, "examples", name)
            if "$ref" in example:
                example = resolve(self.document, example["$ref"])
            if "value" in example:
                self.validate(example["value"], schema, at)

    def schema(self, schema: Any, where: tuple[str | int, ...]) -> None:
        """A Schema Object's own ``example``, then its subschemas' (a ``$ref`` is checked at its target)."""
        if not isinstance(schema, dict) or "$ref" in schema:
            return
        if "example" in schema:
            self.validate(schema["example"], schema, pointer(*where, "example"))
        for name, subschema in schema.get("properties", {}).items():
            self.schema(subschema, (*where, "properties", name))
        for keyword in _SUBSCHEMA:
            if keyword in schema:
                self.schema(schema[keyword], (*where, keyword))
        for keyword in _SUBSCHEMA_LISTS:
            for index, subschema in enumerate(schema.get(keyword, [])):
                self.schema(subschema, (*where, keyword, index))

    def validate(self, instance: Any, schema: Any, where: str) -> None:
        validator = OAS30Validator(dereference(self.document, schema), format_checker=oas30_format_checker)
        for error in sorted(validator.iter_errors(instance), key=lambda e: list(map(str, e.absolute_path))):
            instance_path = "/".join(str(part) for part in error.absolute_path)
            self.failures.append(ExampleFailure(where, instance_path, error.message))

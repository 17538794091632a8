"""Routing: which API a path is under, and which of its operations a method and path name.

Every operation of every spec is prepared once at start-up (its path pattern, its parameters, body, responses
and security requirements, all with ``$ref`` resolved), so a request costs one dictionary lookup for its API
and one regular-expression match per path template of that API.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .errors import MalformedRequest, MethodNotAllowed, NotFound, truncate
from .spec import METHODS as METHODS
from .spec import operations as spec_operations
from .vendor import Vendor

#: An integer path parameter longer than this is no address of any record (and too long for ``int()``).
MAX_INTEGER_DIGITS = 100


@dataclass(frozen=True)
class Body:
    """An operation's request body: its JSON schema, and whether it may be absent or null."""

    schema: Mapping[str, Any]
    required: bool
    nullable: bool


@dataclass(frozen=True)
class Operation:
    """One operation of a spec, as the pipeline needs it."""

    vendor: Vendor
    method: str
    template: str
    operation_id: str
    parameters: tuple[Mapping[str, Any], ...]
    #: Media types the body may have (``application/json``); empty when the operation takes no body.
    consumes: tuple[str, ...]
    body: Body | None
    responses: Mapping[str, Any]
    #: Alternatives, each a list of security scheme objects that must all be satisfied; empty: no credentials.
    security: tuple[tuple[Mapping[str, Any], ...], ...]

    def parameter_schema(self, location: str, name: str) -> Mapping[str, Any]:
        for param in self.parameters:
            if param["in"] == location and param["name"] == name:
                schema: Mapping[str, Any] = param.get("schema", {})
                return schema
        return {}

    def response_schema(self, status: int) -> Mapping[str, Any] | None:
        response = self.responses.get(str(status)) or self.responses.get("default")
        if not response:
            return None
        schema: Mapping[str, Any] | None = response.get("content", {}).get("application/json", {}).get("schema")
        return schema


@dataclass
class _Template:
    pattern: re.Pattern[str]
    #: The same path with any segment in each parameter: tells a bad address from no route at all.
    loose: re.Pattern[str]
    integers: frozenset[str]
    methods: dict[str, Operation] = field(default_factory=dict)


def operations(vendor: Vendor) -> Iterable[Operation]:
    """Every operation of ``vendor``'s spec, prepared for routing."""
    spec = vendor.resolved_spec
    schemes = spec.get("components", {}).get("securitySchemes", {})
    default_security = spec.get("security", [])
    for method, template, operation in spec_operations(spec):
        shared = spec["paths"][template].get("parameters", [])
        by_key = {(p["in"], p["name"]): p for p in [*shared, *operation.get("parameters", [])]}
        content = operation.get("requestBody", {}).get("content", {})
        json_media = content.get("application/json")
        body = None
        if json_media is not None and json_media.get("schema"):
            schema = json_media["schema"]
            body = Body(schema, bool(operation["requestBody"].get("required")), bool(schema.get("nullable")))
        security = operation.get("security", default_security)
        yield Operation(
            vendor=vendor,
            method=method.upper(),
            template=template,
            operation_id=operation["operationId"],
            parameters=tuple(by_key.values()),
            consumes=tuple(mime.lower() for mime in content),
            body=body,
            responses=operation.get("responses", {}),
            security=tuple(tuple(schemes[name] for name in requirement) for requirement in security),
        )


class Router:
    """Finds the operation of a request, or the error its API answers: 405 with ``Allow``, else 404."""

    def __init__(self, vendors: Iterable[Vendor], fallback: Vendor) -> None:
        # Longest base path first: Dreadnode's /api/v1 must win over Nexudus's /api.
        self.vendors = sorted([*vendors, fallback], key=lambda v: len(v.base_path), reverse=True)
        self.fallback = fallback
        self._templates: dict[str, list[_Template]] = {}
        for vendor in self.vendors:
            templates: dict[str, _Template] = {}
            for operation in operations(vendor):
                template = templates.get(operation.template)
                if template is None:
                    integers = frozenset(
                        p["name"]
                        for p in operation.parameters
                        if p["in"] == "path" and p.get("schema", {}).get("type") == "integer"
                    )
                    path = vendor.base_path + operation.template
                    template = templates[operation.template] = _Template(
                        _pattern(path, integers), _pattern(path, integers, loose=True), integers
                    )
                template.methods[operation.method] = operation
            self._templates[vendor.name] = list(templates.values())

    def operations(self) -> list[Operation]:
        return [op for templates in self._templates.values() for t in templates for op in t.methods.values()]

    def vendor_for(self, path: str) -> Vendor:
        """The API whose base path ``path`` is under (the fallback, the control API, when none is)."""
        for vendor in self.vendors:
            base = vendor.base_path
            if path == base or path.startswith(base + "/"):
                return vendor
        return self.fallback

    def route(self, method: str, path: str) -> tuple[Operation, dict[str, Any]]:
        """The operation and its path parameters (integers as ``int``); raises the API's 404 or 405."""
        vendor = self.vendor_for(path)
        allowed: set[str] = set()
        declared_here = False
        for template in self._templates[vendor.name]:
            match = template.pattern.fullmatch(path)
            if match is None:
                continue
            operation = template.methods.get(method)
            if operation is None:
                allowed.update(template.methods)
                continue
            params: dict[str, Any] = match.groupdict()
            for name in template.integers:
                params[name] = int(params[name])
            return operation, params
        for template in self._templates[vendor.name]:
            if method in template.methods and template.loose.fullmatch(path):
                declared_here = True
        if declared_here:
            if any(ord(c) < 32 for c in path):
                # No pattern matches a line break in a path parameter; refuse it as the parameter validator
                # refuses every other control character.
                raise MalformedRequest("a path parameter contains control characters")
            # Declared for this method, yet not routed: a typed path parameter (an integer Id) did not match,
            # so no record can have that address.
            raise NotFound(f"no operation at {method} {truncate(path, 200)}", entity="route")
        if allowed:
            allow = ", ".join(sorted(allowed))
            raise MethodNotAllowed(f"{method} is not allowed here; allowed: {allow}", headers={"Allow": allow})
        raise NotFound(f"no operation at {method} {truncate(path, 200)}", entity="route")


def _pattern(template: str, integers: frozenset[str], *, loose: bool = False) -> re.Pattern[str]:
    parts = re.split(r"\{([^}]+)\}", template)
    out = []
    for index, part in enumerate(parts):
        if index % 2 == 0:
            out.append(re.escape(part))
        elif loose:
            out.append("[^/]+")
        elif part in integers:
            out.append(f"(?P<{part}>[0-9]{{1,{MAX_INTEGER_DIGITS}}})")
        else:
            out.append(f"(?P<{part}>[^/\\x00-\\x1f]+)")
    return re.compile("".join(out))

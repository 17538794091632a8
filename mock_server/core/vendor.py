"""What an API contributes to the mock: its spec, handlers, fixtures and error envelope."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from importlib.resources.abc import Traversable
from typing import TYPE_CHECKING, Any

from . import spec as spec_facts
from .errors import MockError
from .spec import SPEC_DIR
from .throttle import RateLimit

if TYPE_CHECKING:
    from .auth import Principal

#: (status, JSON-able body or None for an empty body, headers)
Rendered = tuple[int, Any, dict[str, str]]

#: A vendor folder's default fixtures, beside its handlers: ``mock_server/<name>/fixtures.yaml``.
FIXTURES_FILE = "fixtures.yaml"


@dataclass(frozen=True)
class Vendor:
    """One API served by the mock.

    Everything the spec says is read from it: base path, security schemes and the ``WWW-Authenticate``
    challenge. ``handlers`` names the module holding one function per operationId; an API without one (a spec
    in ``openapi/`` with no vendor folder) is served statelessly from its spec's examples. ``render_error`` is
    the only place that knows the vendor's error envelope. ``check_fixtures`` adds the checks a JSON schema
    cannot express (references between entities) and returns problems as ``(entry, problem)`` pairs;
    ``authorize`` refuses what the principal's role may not do (before the body is validated). ``rate_limits``
    are the vendor's documented limits per credential, enforced only when the mock runs with ``--rate-limits``.
    """

    name: str
    render_error: Callable[[MockError], Rendered]
    handlers: str | None = None
    #: ``openapi/<name>.yaml`` unless given (a path outside the specs' folder is taken as it is).
    spec_file: str = ""
    fixture_schema: Mapping[str, Any] | None = None
    check_fixtures: Callable[[Any], list[tuple[str, str]]] | None = None
    default_fixtures: Traversable | None = None
    authorize: Callable[[Principal, str], None] | None = field(default=None)
    #: Every stored entity rendered as the API answers it: ``(entry, operationId, body)``, each checked
    #: against that operation's 200 response schema when state is loaded.
    views: Callable[[Any], Iterable[tuple[str, str, Any]]] | None = None
    rate_limits: tuple[RateLimit, ...] = ()

    @classmethod
    def folder(cls, package: str, render_error: Callable[[MockError], Rendered], **hooks: Any) -> Vendor:
        """The API of the vendor folder ``package`` (``mock_server.cor``), named after it: its spec is
        ``openapi/<name>.yaml``, its handlers ``<package>.handlers``, its default fixtures ``fixtures.yaml`` in it.
        """
        fixtures = resources.files(package) / FIXTURES_FILE
        return cls(
            name=package.rpartition(".")[2],
            render_error=render_error,
            handlers=f"{package}.handlers",
            default_fixtures=fixtures if fixtures.is_file() else None,
            **hooks,
        )

    @property
    def stateful(self) -> bool:
        """Whether the API has handlers keeping state; otherwise it answers with its spec's examples."""
        return self.handlers is not None

    @property
    def spec_path(self) -> Traversable:
        return SPEC_DIR / (self.spec_file or f"{self.name}.yaml")

    @cached_property
    def spec(self) -> dict[str, Any]:
        return spec_facts.load(self.spec_path)

    @cached_property
    def resolved_spec(self) -> dict[str, Any]:
        """The spec with every ``$ref`` replaced by what it points at."""
        resolved: dict[str, Any] = resolve_refs(self.spec)
        return resolved

    def response_schema(self, operation_id: str, status: str = "200") -> Any:
        """The JSON schema of an operation's response, as the spec documents it."""
        for _method, _path, operation in spec_facts.operations(self.resolved_spec):
            if operation.get("operationId") == operation_id:
                return operation["responses"][status]["content"]["application/json"]["schema"]
        raise KeyError(f"{self.name} has no operation {operation_id}")

    @cached_property
    def www_authenticate(self) -> str:
        """The challenge of a 401 (RFC 9110): the ``WWW-Authenticate`` a 401 of the spec documents, else one
        challenge per HTTP scheme of its security schemes, in the realm of its title; empty when it has neither
        (an API key has no standard challenge)."""
        for item in self.resolved_spec.get("paths", {}).values():
            for operation in item.values():
                response = operation.get("responses", {}).get("401", {}) if isinstance(operation, dict) else {}
                for name, header in response.get("headers", {}).items():
                    example = header.get("example", header.get("schema", {}).get("example"))
                    if name.lower() == "www-authenticate" and isinstance(example, str):
                        return example
        realm = str(self.spec["info"]["title"]).replace("\\", "\\\\").replace('"', '\\"')
        schemes = self.spec.get("components", {}).get("securitySchemes", {}).values()
        kinds = dict.fromkeys(str(s.get("scheme", "")).capitalize() for s in schemes if s.get("type") == "http")
        return ", ".join(f'{kind} realm="{realm}"' for kind in kinds if kind)

    @cached_property
    def base_path(self) -> str:
        """The path of the spec's first server URL: the vendor's own base path."""
        return spec_facts.base_path(self.spec)


def resolve_refs(document: dict[str, Any]) -> Any:
    """``document`` with every local ``$ref`` (``#/components/...``) replaced by what it points at.

    The specs are self-contained (only internal refs, see STYLE), so no resolver with network access is needed.
    """

    def resolve(node: Any, seen: frozenset[str]) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/"):
                if ref in seen:
                    raise ValueError(f"$ref {ref} refers to itself")
                target: Any = document
                for part in ref[2:].split("/"):
                    target = target[part.replace("~1", "/").replace("~0", "~")]
                return resolve(target, seen | {ref})
            return {key: resolve(value, seen) for key, value in node.items()}
        if isinstance(node, list):
            return [resolve(item, seen) for item in node]
        return node

    return resolve(document, frozenset())

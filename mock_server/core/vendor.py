"""What an API contributes to the mock: its spec, handlers, fixtures and error envelope."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from importlib.resources.abc import Traversable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from . import yamlfile
from .errors import MockError
from .throttle import RateLimit

if TYPE_CHECKING:
    from .auth import Principal

#: (status, JSON-able body or None for an empty body, headers)
Rendered = tuple[int, Any, dict[str, str]]

#: Package data, read through importlib.resources so that an installed wheel serves as a checkout does. In a
#: checkout ``mock_server/openapi`` is a link to the repository's ``openapi/``, the one copy of the specs.
SPEC_DIR: Traversable = resources.files("mock_server") / "openapi"
FIXTURES_DIR: Traversable = resources.files("mock_server") / "fixtures"


@dataclass(frozen=True)
class Vendor:
    """One API served by the mock.

    ``render_error`` is the only place that knows the vendor's error envelope. ``check_fixtures`` adds
    the checks a JSON schema cannot express (references between entities) and returns problems as
    ``(entry, problem)`` pairs; ``authorize`` refuses what the principal's role may not do (before the body
    is validated). ``rate_limits`` are the vendor's documented limits per credential, enforced
    only when the mock runs with ``--rate-limits``.
    """

    name: str
    spec_file: str
    handlers: str
    render_error: Callable[[MockError], Rendered]
    www_authenticate: str
    fixture_schema: Mapping[str, Any] | None = None
    check_fixtures: Callable[[Any], list[tuple[str, str]]] | None = None
    default_fixtures: Traversable | None = None
    authorize: Callable[[Principal, str], None] | None = field(default=None)
    #: Every stored entity rendered as the API answers it: ``(entry, operationId, body)``, each checked
    #: against that operation's 200 response schema when state is loaded.
    views: Callable[[Any], Iterable[tuple[str, str, Any]]] | None = None
    rate_limits: tuple[RateLimit, ...] = ()

    @property
    def spec_path(self) -> Traversable:
        return SPEC_DIR / self.spec_file

    @cached_property
    def spec(self) -> dict[str, Any]:
        with self.spec_path.open(encoding="utf-8") as fh:
            loaded: dict[str, Any] = yamlfile.load(fh)
        return loaded

    @cached_property
    def resolved_spec(self) -> dict[str, Any]:
        """The spec with every ``$ref`` replaced by what it points at."""
        resolved: dict[str, Any] = resolve_refs(self.spec)
        return resolved

    def response_schema(self, operation_id: str, status: str = "200") -> Any:
        """The JSON schema of an operation's response, as the spec documents it."""
        for item in self.resolved_spec["paths"].values():
            for operation in item.values():
                if isinstance(operation, dict) and operation.get("operationId") == operation_id:
                    return operation["responses"][status]["content"]["application/json"]["schema"]
        raise KeyError(f"{self.name} has no operation {operation_id}")

    @cached_property
    def base_path(self) -> str:
        """The path of the spec's first server URL: the vendor's own base path."""
        return urlparse(self.spec["servers"][0]["url"]).path.rstrip("/")


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

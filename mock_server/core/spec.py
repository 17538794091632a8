"""Facts read from an OpenAPI spec, derived in one place for the mock, the tests, the client generator and the
benchmark: where the specs are, how one is loaded, its base path and its operations.

Each consumer used to derive these on its own; one definition keeps them from disagreeing.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any
from urllib.parse import urlsplit

from . import yamlfile

#: Package data, read through importlib.resources so that an installed wheel serves as a checkout does. In a
#: checkout ``mock_server/openapi`` is a link to the repository's ``openapi/``, the one copy of the specs.
SPEC_DIR: Traversable = resources.files("mock_server") / "openapi"
#: The HTTP methods an OpenAPI 3.0 path item may hold, in the order operations are listed.
METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")


def load(path: Traversable) -> dict[str, Any]:
    """The spec at ``path``, parsed with the mock's YAML loader, so every reader sees the same document."""
    with path.open(encoding="utf-8") as fh:
        loaded: dict[str, Any] = yamlfile.load(fh)
    return loaded


def base_path(document: Mapping[str, Any]) -> str:
    """The path of the spec's first server URL, without a trailing slash: where the API is served."""
    return urlsplit(document["servers"][0]["url"]).path.rstrip("/")


def operations(document: Mapping[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """``(method, path, operation)`` for every operation, paths in document order, methods in ``METHODS`` order."""
    for path, item in document.get("paths", {}).items():
        for method in METHODS:
            operation = item.get(method)
            if operation is not None:
                yield method, path, operation

"""Helpers the vendor tests share: the JSON shape of a body, timestamps as instants, and what a spec documents.

The specs given here are dereferenced (``conftest.dereference``): every ``$ref`` already replaced.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any


def json_types(value: Any) -> Any:
    """The JSON type skeleton of a value: keys and types, recursively (lists by their items)."""
    if isinstance(value, dict):
        return {key: json_types(item) for key, item in value.items()}
    if isinstance(value, list):
        return [json_types(item) for item in value]
    if isinstance(value, bool) or value is None:
        return type(value).__name__
    if isinstance(value, int | float):
        return "number"
    return type(value).__name__


def instants(value: Any) -> Any:
    """``value`` with RFC 3339 timestamps as datetimes: a generated client writes ``Z`` back as ``+00:00``."""
    if isinstance(value, dict):
        return {key: instants(item) for key, item in value.items()}
    if isinstance(value, list):
        return [instants(item) for item in value]
    if isinstance(value, str) and "T" in value:
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return value
    return value


def operations(spec: dict[str, Any]) -> dict[str, tuple[str, str, dict[str, Any]]]:
    """operationId → (path, method, operation) for every operation of a dereferenced spec."""
    return {
        operation["operationId"]: (path, method, operation)
        for path, item in spec["paths"].items()
        for method, operation in item.items()
        if method != "parameters"
    }


def documented_statuses(spec: dict[str, Any]) -> list[tuple[str, int]]:
    """(operationId, status) for every response every operation documents, sorted."""
    return sorted(
        (op, int(code)) for op, (_, _, operation) in operations(spec).items() for code in operation["responses"]
    )


def named_examples(spec: dict[str, Any]) -> list[tuple[str, int, str, Any]]:
    """(operationId, status, example name, value) for every named example of every documented response body."""
    return [
        (op, int(code), name, example["value"])
        for op, (_, _, operation) in operations(spec).items()
        for code, response in operation["responses"].items()
        for name, example in response.get("content", {}).get("application/json", {}).get("examples", {}).items()
    ]

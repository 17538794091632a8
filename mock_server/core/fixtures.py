"""Fixture files: YAML documents keyed by API name, checked on load.

A bad file stops start-up with a message naming the file, the entry and the problem, so a typo in a
fixture never becomes a confusing 404 at request time.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from . import yamlfile
from .validation import MAX_VIOLATIONS, violations
from .vendor import Vendor
from .yamlfile import FixtureError

__all__ = ["FixtureError", "check", "load", "load_document"]


def _entry(path: Iterable[str | int]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(document)"


def check(vendor: Vendor, data: Any, source: str) -> list[FixtureError]:
    """Every problem of ``data`` as fixtures of ``vendor`` (at most ``MAX_VIOLATIONS``); empty when usable.

    Beyond the storage layout (``fixture_schema``) and references between entities (``check_fixtures``),
    every entity is rendered as the API answers it and checked against that response's schema in the spec,
    so no loaded state can make a later response break its contract.
    """
    if not vendor.stateful:
        return [FixtureError(source, vendor.name, "served from its spec's examples, this API keeps no state")]
    problems: list[FixtureError] = []
    if vendor.fixture_schema is not None:
        for violation in violations(vendor.fixture_schema, data, (vendor.name,)):
            problems.append(FixtureError(source, _entry(violation.loc), violation.message))
    if not problems and vendor.check_fixtures is not None:
        for entry, problem in vendor.check_fixtures(data):
            problems.append(FixtureError(source, f"{vendor.name}.{entry}", problem))
    if not problems and vendor.views is not None:
        for entry, operation_id, body in vendor.views(data):
            for violation in violations(vendor.response_schema(operation_id), body, ()):
                problem = f"would make {operation_id} answer {violation.field} that {violation.message}"
                problems.append(FixtureError(source, f"{vendor.name}.{entry}", problem))
            if len(problems) > MAX_VIOLATIONS:
                break
    if len(problems) > MAX_VIOLATIONS:
        more = FixtureError(source, vendor.name, f"and more problems; only the first {MAX_VIOLATIONS} are listed")
        problems = [*problems[:MAX_VIOLATIONS], more]
    return problems


def load_document(path: Path | Traversable) -> dict[str, Any]:
    document = yamlfile.load_file(path, FixtureError)
    if not isinstance(document, dict):
        raise FixtureError(str(path), "(document)", "must be a mapping of API name to its fixtures")
    return document


def load(vendors: Mapping[str, Vendor], override: Path | None = None) -> dict[str, Any]:
    """The fixtures of every vendor: its default file, replaced per API by ``override`` where it names it.

    Raises the first :class:`FixtureError` found (with every problem of that file in its message).
    """
    documents: dict[str, tuple[Any, str]] = {}
    for name, vendor in vendors.items():
        if vendor.default_fixtures is not None:
            document = load_document(vendor.default_fixtures)
            if name not in document:
                raise FixtureError(str(vendor.default_fixtures), name, "missing: the file has no entry for this API")
            documents[name] = (document[name], str(vendor.default_fixtures))
    if override is not None:
        document = load_document(override)
        for name, data in document.items():
            if name not in vendors:
                raise FixtureError(str(override), str(name), f"unknown API (known: {', '.join(sorted(vendors))})")
            documents[name] = (data, str(override))
    problems = [p for name, (data, source) in documents.items() for p in check(vendors[name], data, source)]
    if problems:
        first = problems[0]
        raise FixtureError(
            first.file, first.entry, "; ".join([first.problem] + [f"{p.entry}: {p.problem}" for p in problems[1:]])
        )
    return {name: data for name, (data, _) in documents.items()}

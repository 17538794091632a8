"""Fixture files: YAML documents keyed by API name, checked on load.

A bad file stops start-up with a message naming the file, the entry and the problem, so a typo in a
fixture never becomes a confusing 404 at request time.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import jsonschema_rs
import yaml

from . import yamlfile
from .vendor import Vendor


class FixtureError(Exception):
    """A fixture (or auth) file is unusable; ``str()`` is the message printed at start-up."""

    def __init__(self, file: str, entry: str, problem: str) -> None:
        self.file, self.entry, self.problem = file, entry, problem
        super().__init__(f"{file}: {entry}: {problem}")


def _entry(path: Iterable[str | int]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(document)"


def check(vendor: Vendor, data: Any, source: str) -> list[FixtureError]:
    """Every problem of ``data`` as fixtures of ``vendor``; empty when it is usable."""
    problems: list[FixtureError] = []
    if vendor.fixture_schema is not None:
        validator = jsonschema_rs.Draft202012Validator(dict(vendor.fixture_schema), validate_formats=True)
        for error in validator.iter_errors(data):
            problems.append(FixtureError(source, _entry([vendor.name, *error.instance_path]), error.message[:200]))
    if not problems and vendor.check_fixtures is not None:
        for entry, problem in vendor.check_fixtures(data):
            problems.append(FixtureError(source, f"{vendor.name}.{entry}", problem))
    return problems


def load_document(path: Traversable) -> dict[str, Any]:
    try:
        with path.open(encoding="utf-8") as fh:
            document = yamlfile.load(fh)
    except OSError as exc:
        raise FixtureError(str(path), "(file)", f"cannot be read: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise FixtureError(str(path), "(file)", f"is not valid YAML: {' '.join(str(exc).split())}") from exc
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

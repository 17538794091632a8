"""The APIs the mock serves, discovered: every spec in ``openapi/`` except the control API's.

A spec whose name has a vendor folder (``mock_server/<name>/``, a package defining ``VENDOR``) is served by
that vendor's handlers, state and error envelope; any other spec is served example-only
(:mod:`mock_server.core.examples`). Nothing here names an API.
"""

from __future__ import annotations

import importlib
import pkgutil

import mock_server

from .core.admin import ADMIN
from .core.examples import example_only
from .core.vendor import SPEC_DIR, Vendor

#: Packages of ``mock_server/`` that are not vendor folders.
NOT_VENDORS = frozenset({"core"})


def discover() -> dict[str, Vendor]:
    """Every API by name, in the order of its name; raises RuntimeError for a vendor folder that does not fit."""
    specs = sorted(
        entry.name.removesuffix(".yaml")
        for entry in SPEC_DIR.iterdir()
        if entry.name.endswith(".yaml") and entry.is_file() and entry.name != f"{ADMIN.name}.yaml"
    )
    folders: dict[str, Vendor] = {}
    for module in pkgutil.iter_modules(mock_server.__path__):
        if not module.ispkg or module.name in NOT_VENDORS:
            continue
        vendor = getattr(importlib.import_module(f"mock_server.{module.name}"), "VENDOR", None)
        if not isinstance(vendor, Vendor):
            continue
        if vendor.name != module.name or module.name not in specs:
            raise RuntimeError(f"mock_server/{module.name}/ defines a VENDOR without a spec openapi/{module.name}.yaml")
        folders[vendor.name] = vendor
    return {name: folders.get(name) or example_only(name) for name in specs}


VENDORS: dict[str, Vendor] = discover()

"""After the contract runs: every operation they exercised answered each outcome its spec documents.

Runs last: its name sorts last, and ``contract.py`` moves it to the end of any selection. It judges only the
contract tests that ran in the same session, so ``-k``/``--deselect`` and skipped live tests leave it valid.
"""

from __future__ import annotations

from typing import Any

import pytest

from .contract import contract_items, observed, vendor_specs

#: Error statuses every run must reach where the operation documents them; every documented 2xx as well.
REQUIRED_ERRORS = (400, 401, 404)


def documented(document: dict[str, Any], label: str) -> set[int]:
    method, path = label.split(" ", 1)
    return {int(code) for code in document["paths"][path][method.lower()]["responses"] if code.isdigit()}


def test_every_exercised_operation_answered_its_success_400_401_and_404(request: pytest.FixtureRequest) -> None:
    exercised = contract_items(request.session)
    if not exercised:
        pytest.skip("no contract test ran in this session")
    report = observed()
    documents = {spec.name: spec.document for spec in vendor_specs()}
    missing = {}
    for kind, spec, label in exercised:
        codes = documented(documents[spec], label)
        wanted = {code for code in codes if 200 <= code < 300 or code in REQUIRED_ERRORS}
        seen = set(report.get(spec, {}).get(label, {}).get(kind, []))
        if wanted - seen:
            missing[f"{kind} {spec} {label}"] = sorted(wanted - seen)
    assert not missing, f"documented statuses never observed: {missing}"

"""The contract suite against the live API: ``make contract-live API=cor``.

Without ``<API>_BASE_URL`` and ``<API>_TOKEN`` every operation is skipped with the reason. PUT, POST, PATCH
and DELETE also need ``CONTRACT_LIVE_WRITES=1`` and the sandbox IDs (``COR_LIVE_WORKSPACE_ID``,
``COR_LIVE_USER_ID``, ...), which replace the path parameters of every request. Requests are paced to the
vendor's declared limits (``Live.rate_limit``; ``CONTRACT_LIVE_RATE_LIMIT`` or ``<API>_RATE_LIMIT`` override it),
progress and a summary are printed (``live_report.py``), and the token is masked in every message and report.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis

from .contract import Live, selected_specs, spec_name

LIVE = {spec.name: Live(spec, os.environ) for spec in selected_specs()}


@pytest.mark.live
@schemathesis.pytest.parametrize(**{name: live.schema() for name, live in LIVE.items()})
def test_live(case: Any) -> None:
    live = LIVE[spec_name(case)]
    reason = live.skip_reason(case.operation.method, case.operation.path)
    if reason:
        pytest.skip(reason)
    path, body = live.sandbox_values(case.operation.method, case.operation.path)
    if path:
        generated = case.path_parameters if isinstance(case.path_parameters, dict) else {}
        case.path_parameters = {**generated, **path}
    if body and isinstance(case.body, dict):
        case.body = {**case.body, **body}
    with live.target().active() as target:
        case.call_and_validate(**target.call_kwargs())

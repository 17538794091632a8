"""The contract suite against the live API: ``make contract-live API=cor``.

Without ``<API>_BASE_URL`` and ``<API>_TOKEN`` every operation is skipped with the reason. PUT, POST, PATCH
and DELETE also need ``CONTRACT_LIVE_WRITES=1`` and the sandbox IDs (``COR_LIVE_WORKSPACE_ID``,
``COR_LIVE_USER_ID``, ...), which replace the path parameters of every request. Requests are paced to the
vendor's declared limits (``Live.rate_limit``; ``CONTRACT_LIVE_RATE_LIMIT`` or ``<API>_RATE_LIMIT`` override it),
progress and a summary are printed (``live_report.py``), and the token is masked in every message and report.

With ``RECORD=path`` every exchange is kept for a cassette, which starts with the reads a drift run starts with
(``drift/learn.py``): replayed against a fresh mock tenant, it teaches the tenant the sandbox entities first.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis

from .contract import Live, recorders, selected_specs, spec_name
from .drift.learn import primer_cases

LIVE = {spec.name: Live(spec, os.environ) for spec in selected_specs()}
#: ``make contract-live API=cor RECORD=path``: the exchanges are saved as a cassette (see cassette.py).
RECORDERS = recorders(LIVE)


@pytest.mark.live
@schemathesis.pytest.parametrize(**{name: live.schema() for name, live in LIVE.items()})
def test_live(case: Any) -> None:
    live = LIVE[spec_name(case)]
    reason = live.skip_reason(case.operation.method, case.operation.path)
    if reason:
        pytest.skip(reason)
    live.confine(case)
    recorder = RECORDERS.get(live.spec.name)
    with live.target(recorder).active() as target:
        if recorder is not None and not recorder.exchanges:
            for primer in primer_cases(case.operation.schema, live):
                primer.call(**target.call_kwargs())
        case.call_and_validate(**target.call_kwargs())

"""The request stream of ``make drift``: the live contract run's cases, each sent to the live API, then to the mock.

Collected only when ``python -m contract_tests.drift run`` hands this file to pytest (its name keeps ``make test``
from collecting it), with ``CONTRACT_API`` naming one API and a ``drift`` fixture holding the run. The spec, its
settings, the rate limit and the sandbox confinement are those of ``make contract-live``
(``test_contract_live.py``); only the checks differ: the answers are compared with the mock's, not with the spec.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis

from ..contract import Live, selected_specs
from .session import Drift

(SPEC,) = selected_specs()
LIVE = Live(SPEC, os.environ)
SCHEMA = LIVE.schema()


def test_sandbox_entities_read_first(drift: Drift) -> None:
    """Runs first: the live answers about the sandbox entities teach the mock's tenant what they hold."""
    drift.prime(SCHEMA, LIVE)


@schemathesis.pytest.parametrize(**{SPEC.name: SCHEMA})
def test_drift(case: Any, drift: Drift) -> None:
    reason = LIVE.skip_reason(case.operation.method, case.operation.path)
    if reason:
        pytest.skip(reason)
    LIVE.confine(case)
    drift.send_live(case, LIVE)

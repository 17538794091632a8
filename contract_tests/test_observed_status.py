"""The judgement the contract harness passes on a session: every documented outcome of every operation its
contract tests exercised must have been answered (``contract.missing_statuses``, applied when the session ends)."""

from __future__ import annotations

from typing import Any

import pytest

from .contract import missing_statuses, vendor_specs

DREADNODE_PUT = "PUT /org/{org}/ws/{workspace}"
COR_PUT = "PUT /workspaces/{id}"


@pytest.fixture(scope="module")
def documents() -> dict[str, Any]:
    return {spec.name: spec.document for spec in vendor_specs()}


def test_a_run_that_reached_every_documented_outcome_passes(documents: dict[str, Any]) -> None:
    report = {
        "dreadnode": {DREADNODE_PUT: {"asgi": [200, 400, 401, 404, 422], "server": [200, 400, 401, 404, 422, 429]}}
    }
    exercised = [("asgi", "dreadnode", DREADNODE_PUT), ("server", "dreadnode", DREADNODE_PUT)]
    assert missing_statuses(exercised, report, documents) == {}


def test_each_target_must_reach_them_on_its_own(documents: dict[str, Any]) -> None:
    report = {"dreadnode": {DREADNODE_PUT: {"asgi": [200, 400, 401, 404, 422], "server": [200, 400, 401]}}}
    exercised = [("asgi", "dreadnode", DREADNODE_PUT), ("server", "dreadnode", DREADNODE_PUT)]
    assert missing_statuses(exercised, report, documents) == {f"server dreadnode {DREADNODE_PUT}": [404, 422]}


def test_the_success_and_the_documented_validation_error_are_required(documents: dict[str, Any]) -> None:
    report = {"dreadnode": {DREADNODE_PUT: {"asgi": [400, 401, 404]}}}
    exercised = [("asgi", "dreadnode", DREADNODE_PUT)]
    assert missing_statuses(exercised, report, documents) == {f"asgi dreadnode {DREADNODE_PUT}": [200, 422]}


def test_only_documented_statuses_are_required(documents: dict[str, Any]) -> None:
    documented = set(documents["cor"]["paths"]["/workspaces/{id}"]["put"]["responses"])
    assert "422" not in documented
    report = {
        "cor": {COR_PUT: {"asgi": sorted(int(code) for code in documented if code in {"200", "400", "401", "404"})}}
    }
    assert missing_statuses([("asgi", "cor", COR_PUT)], report, documents) == {}


def test_operations_no_contract_test_ran_are_not_judged(documents: dict[str, Any]) -> None:
    assert missing_statuses([], {}, documents) == {}


def test_live_runs_are_not_judged(documents: dict[str, Any]) -> None:
    report = {"dreadnode": {DREADNODE_PUT: {"live": [401]}}}
    assert missing_statuses([("live", "dreadnode", DREADNODE_PUT)], report, documents) == {}

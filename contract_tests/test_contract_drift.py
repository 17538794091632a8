"""The contract suite catches drift: a mock that breaks the contract makes the run report it.

Each test breaks the COR mock in one way (a monkeypatched handler or validator, or an auth file that merges
two tenants), runs schemathesis on the broken app in-process, and asserts that the run reports the failure
under the check that should catch it. The main suite (``test_contract.py``) shows the unbroken mock passes.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from schemathesis.core.failures import FailureGroup
from schemathesis.engine import events

import mock_server.cor.handlers as cor_handlers
import mock_server.core.validation as validation
import mock_server.nexudus.handlers as nexudus_handlers
from mock_server.app import create_app
from mock_server.core.errors import NotFound

from . import put_semantics
from .contract import ASGI_AUTH_FILE, ASGI_BYSTANDER, ASGI_TOKEN, Spec, Target, load_schema, vendor_specs

COR = next(spec for spec in vendor_specs() if spec.name == "cor")
WORKSPACE_PATH = "/workspaces/{id}"
#: The request of COR's docs, which succeeds against the default fixtures.
DOC_EXAMPLE = {
    "metadata": {"source": "MICROSOFT_TEAMS"},
    "name": "Marketing & Communications Team",
    "description": "Combined marketing and communications workspace",
}


def cor_with(path: str, **put_extensions: Any) -> dict[str, Any]:
    """COR's spec reduced to the PUT at ``path``, with ``put_extensions`` set on it."""
    document = copy.deepcopy(COR.document)
    document["paths"] = {path: document["paths"][path]}
    document["paths"][path]["put"].update(put_extensions)
    return document


def contract_run(app: Any, path: str) -> set[str]:
    """Run every phase of the contract suite on COR's PUT ``path`` against ``app``; the checks that failed."""
    schema = load_schema(COR, token=ASGI_TOKEN, app=app, document=cor_with(path))
    failed: set[str] = set()
    for event in schemathesis.engine.from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            for checks in event.recorder.checks.values():
                failed.update(check.name for check in checks if check.failure_info is not None)
        assert not isinstance(event, events.FatalError), event
    return failed


def wrap(monkeypatch: pytest.MonkeyPatch, name: str, wrapper: Callable[..., Any]) -> None:
    """Replace the COR handler ``name`` by ``wrapper(original, ctx, id, body)``, before an app resolves it."""
    original = getattr(cor_handlers, name)
    monkeypatch.setattr(cor_handlers, name, lambda ctx, id, body: wrapper(original, ctx, id, body))


@pytest.mark.parametrize(
    ("validate_responses", "caught_by"),
    [(False, "response_schema_conformance"), (True, "not_a_server_error")],
    ids=["mock-silent", "mock-self-validating"],
)
def test_contract_run_reports_a_dropped_required_response_field(
    monkeypatch: pytest.MonkeyPatch, validate_responses: bool, caught_by: str
) -> None:
    """Without its own response validation the mock sends the broken body; with it (as in tests), a 500."""

    def drop_company_id(original: Callable[..., Any], ctx: Any, id: str, body: Any) -> Any:
        response, status = original(ctx, id, body)
        response.pop("company_id")
        return response, status

    wrap(monkeypatch, "update_workspace", drop_company_id)
    app = create_app(["cor"], validate_responses=validate_responses, auth_file=ASGI_AUTH_FILE)

    assert caught_by in contract_run(app, WORKSPACE_PATH)


def test_contract_run_reports_a_body_without_metadata_being_accepted(monkeypatch: pytest.MonkeyPatch) -> None:
    original_violations = validation.violations

    def forgiving(schema: Any, instance: Any, where: tuple[str | int, ...]) -> list[Any]:
        found = original_violations(schema, instance, where)
        return [v for v in found if not (v.loc == ("body", "metadata") and v.message == "is required")]

    def default_source(original: Callable[..., Any], ctx: Any, id: str, body: Any) -> Any:
        return original(ctx, id, {"metadata": {"source": "MICROSOFT_TEAMS"}, **body})

    monkeypatch.setattr(validation, "violations", forgiving)
    wrap(monkeypatch, "update_workspace", default_source)
    app = create_app(["cor"], validate_responses=True, auth_file=ASGI_AUTH_FILE)

    assert "negative_data_rejection" in contract_run(app, WORKSPACE_PATH)


def test_unbroken_operation_passes_the_same_run() -> None:
    """The control: the same run against the mock as it is reports nothing."""
    app = create_app(["cor"], validate_responses=True, auth_file=ASGI_AUTH_FILE)
    assert contract_run(app, WORKSPACE_PATH) == set()


# -- our PUT checks ------------------------------------------------------------------------------------------------


def run_check(
    check: Callable[..., Any],
    app: Any,
    body: dict[str, Any],
    *,
    spec: Spec = COR,
    schema: Any = None,
    path: str = WORKSPACE_PATH,
    path_parameters: dict[str, Any] | None = None,
) -> str:
    """PUT ``body`` (by default to COR's TEAMS-WS-12345) as tenant A with only ``check`` on; its report, or ""."""
    schema = schema or load_schema(spec, token=ASGI_TOKEN, app=app)
    target = Target("asgi", spec, app=app, bystander=ASGI_BYSTANDER, record=False)
    case = schema[path]["PUT"].Case(
        path_parameters={"id": "TEAMS-WS-12345"} if path_parameters is None else path_parameters,
        headers={"Authorization": f"Bearer {ASGI_TOKEN}"},
        body=body,
        media_type="application/json",
    )
    with target.active():
        try:
            case.call_and_validate(checks=[check])
        except FailureGroup as failures:
            return str(failures)
    return ""


def test_put_reflects_request_catches_an_ignored_field(monkeypatch: pytest.MonkeyPatch) -> None:
    def ignore_name(original: Callable[..., Any], ctx: Any, id: str, body: Any) -> Any:
        return original(ctx, id, {k: v for k, v in body.items() if k != "name"})

    wrap(monkeypatch, "update_workspace", ignore_name)
    app = create_app(["cor"], validate_responses=True, auth_file=ASGI_AUTH_FILE)

    report = run_check(put_semantics.put_reflects_request, app, DOC_EXAMPLE)
    assert "does not show the values sent" in report
    assert "name: sent 'Marketing & Communications Team', got 'Marketing Team'" in report


def test_put_is_idempotent_catches_a_result_that_changes_on_repeat(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []

    def count_calls(original: Callable[..., Any], ctx: Any, id: str, body: Any) -> Any:
        calls.append(id)
        response, status = original(ctx, id, body)
        return {**response, "description": f"{response['description']} ({len(calls)})"}, status

    wrap(monkeypatch, "update_workspace", count_calls)
    app = create_app(["cor"], validate_responses=True, auth_file=ASGI_AUTH_FILE)

    assert "Repeating the PUT changed the result" in run_check(put_semantics.put_is_idempotent, app, DOC_EXAMPLE)


def test_partial_semantics_catch_an_update_that_clears_unsent_fields(monkeypatch: pytest.MonkeyPatch) -> None:
    def replace(original: Callable[..., Any], ctx: Any, id: str, body: Any) -> Any:
        return original(ctx, id, {"description": None, **body})

    wrap(monkeypatch, "update_workspace", replace)
    app = create_app(["cor"], validate_responses=True, auth_file=ASGI_AUTH_FILE)

    report = run_check(put_semantics.put_keeps_or_clears_unsent_fields, app, DOC_EXAMPLE)
    assert "x-put-semantics is partial, but a PUT without the optional fields changed them" in report


def test_replace_semantics_catch_an_update_that_keeps_unsent_fields() -> None:
    """A spec declaring ``replace`` fails against COR's partial-updating mock: the check reads the spec."""
    app = create_app(["cor"], validate_responses=True, auth_file=ASGI_AUTH_FILE)
    replace = cor_with(WORKSPACE_PATH, **{put_semantics.SEMANTICS_KEY: put_semantics.REPLACE})
    schema = load_schema(COR, token=ASGI_TOKEN, app=app, document=replace)

    report = run_check(put_semantics.put_keeps_or_clears_unsent_fields, app, DOC_EXAMPLE, schema=schema)
    assert "x-put-semantics is replace, but fields left out of the PUT kept their values" in report
    assert "'description': 'Combined marketing and communications workspace'" in report


def test_put_tenants_isolated_catches_a_write_seen_by_another_tenant(tmp_path: Path) -> None:
    merged = tmp_path / "auth.yaml"
    merged.write_text(f"{ASGI_TOKEN}: {{tenant: shared}}\n{ASGI_BYSTANDER}: {{tenant: shared}}\n", encoding="utf-8")
    app = create_app(["cor"], validate_responses=True, auth_file=merged)

    report = run_check(put_semantics.put_tenants_isolated, app, DOC_EXAMPLE)
    assert "A write by one tenant changed the state another tenant sees" in report


# Nexudus answers a PUT with an envelope; the checks read the record back along the spec's link to the GET.
NEXUDUS = next(spec for spec in vendor_specs() if spec.name == "nexudus")
NEXUDUS_PUT = "/collaboration/workspaces"
#: Every optional field set, so a full replace without them has something to clear.
NEXUDUS_RECORD = {
    "Id": 123,
    "BusinessId": 123,
    "AdministratorId": 123,
    "Name": "Design Studio",
    "VisibleInMySpaces": True,
    "VisibleByEveryone": True,
    "Archived": True,
    "Description": "Shared space for the design team",
}


def run_nexudus_check(check: Callable[..., Any], app: Any) -> str:
    return run_check(check, app, NEXUDUS_RECORD, spec=NEXUDUS, path=NEXUDUS_PUT, path_parameters={})


def test_replace_semantics_read_back_along_the_link_pass_on_the_unbroken_mock() -> None:
    app = create_app(["nexudus"], validate_responses=True, auth_file=ASGI_AUTH_FILE)
    assert run_nexudus_check(put_semantics.put_keeps_or_clears_unsent_fields, app) == ""


def test_replace_semantics_catch_a_replace_that_keeps_unsent_fields_seen_only_by_reading_back(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The PUT's answer (an envelope) looks right; only the record read back shows the fields were kept."""
    original = nexudus_handlers.update_workspace

    def keeps_unsent(ctx: Any, body: Any) -> Any:
        with ctx.state() as nexudus:
            stored = dict(nexudus["workspaces"][str(body["Id"])])
        kept = {name: stored[name] for name in ("Archived", "Description") if name not in body}
        return original(ctx, {**kept, **body})

    monkeypatch.setattr(nexudus_handlers, "update_workspace", keeps_unsent)
    app = create_app(["nexudus"], validate_responses=True, auth_file=ASGI_AUTH_FILE)

    report = run_nexudus_check(put_semantics.put_keeps_or_clears_unsent_fields, app)
    assert "x-put-semantics is replace, but fields left out of the PUT kept their values" in report
    assert "'Archived': True, 'Description': 'Shared space for the design team'" in report


def test_a_written_record_that_cannot_be_read_back_along_the_link_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    def lost(ctx: Any, id: int) -> Any:
        raise NotFound("Not found", entity="workspace", key=str(id))

    monkeypatch.setattr(nexudus_handlers, "get_workspace", lost)
    app = create_app(["nexudus"], validate_responses=True, auth_file=ASGI_AUTH_FILE)

    report = run_nexudus_check(put_semantics.put_keeps_or_clears_unsent_fields, app)
    assert "The written entity cannot be read back along the link GetUpdatedWorkspace" in report


@pytest.mark.parametrize(
    "check",
    [
        put_semantics.put_reflects_request,
        put_semantics.put_is_idempotent,
        put_semantics.put_keeps_or_clears_unsent_fields,
        put_semantics.put_tenants_isolated,
    ],
)
def test_put_checks_pass_on_the_unbroken_mock(check: Callable[..., Any]) -> None:
    app = create_app(["cor"], validate_responses=True, auth_file=ASGI_AUTH_FILE)
    assert run_check(check, app, DOC_EXAMPLE) == ""

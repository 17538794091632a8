"""The control API under ``/__mock__`` (``openapi/mock_admin.yaml``): health, reset, state and journal.

Errors here are RFC 7807 problem details, the mock's own shape.
"""

from __future__ import annotations

from datetime import datetime
from http import HTTPStatus
from typing import Any

from .. import console
from . import fixtures
from .auth import Principal
from .context import Context
from .errors import Forbidden, MockError, ValidationFailed, Violation, truncate
from .vendor import Rendered, Vendor


def render_error(error: MockError) -> Rendered:
    body: dict[str, Any] = {
        "status": error.status,
        "title": HTTPStatus(error.status).phrase,
        "detail": truncate(error.message, 1000),
    }
    if isinstance(error, ValidationFailed):
        body["errors"] = [
            {"field": truncate(v.field, 250), "message": truncate(v.message, 1000)} for v in error.violations
        ]
    return error.status, body, {}


def get_health(ctx: Context) -> tuple[dict[str, Any], int]:
    apis = [
        {"name": v.name, "title": v.spec["info"]["title"], "base_path": v.base_path}
        for v in ctx.runtime.vendors.values()
    ]
    return {"status": "ok", "version": ctx.runtime.version, "apis": apis}, 200


def get_console(ctx: Context) -> tuple[bytes, int, dict[str, str]]:
    """The browser console: a page with no data in it, which reads the journal and state with the credential
    the user gives it."""
    page = console.page()
    return page.body, 200, dict(page.headers)


def reset_state(ctx: Context, all: bool = False) -> tuple[dict[str, Any], int]:
    if all:
        ctx.runtime.store.reset_all()
        return {"reset": "all"}, 200
    ctx.runtime.store.reset(ctx.principal.tenant)
    return {"reset": "tenant"}, 200


def get_state(ctx: Context) -> tuple[dict[str, Any], int]:
    return ctx.runtime.store.snapshot(ctx.principal.tenant), 200


def replace_state(ctx: Context, body: dict[str, Any]) -> tuple[dict[str, Any], int]:
    vendors: dict[str, Vendor] = dict(ctx.runtime.vendors)
    problems = [
        Violation(("body", name), f"unknown API (known: {', '.join(sorted(vendors))})")
        for name in body
        if name not in vendors
    ]
    for name, data in body.items():
        if name in vendors:
            for problem in fixtures.check(vendors[name], data, "body"):
                problems.append(Violation(("body", *problem.entry.split(".")), problem.problem))
    if problems:
        raise ValidationFailed("the state document is not valid fixtures", violations=problems)
    ctx.runtime.store.replace(ctx.principal.tenant, body)
    return ctx.runtime.store.snapshot(ctx.principal.tenant), 200


def list_requests(
    ctx: Context,
    method: str | None = None,
    path: str | None = None,
    status: str | None = None,
    since: str | None = None,
) -> tuple[dict[str, Any], int]:
    entries = [entry.as_json() for entry in ctx.runtime.store.journal(ctx.principal.tenant)]
    if method is not None:
        entries = [e for e in entries if e["method"] == method.upper()]
    if path is not None:
        entries = [e for e in entries if path in e["path"]]
    if status is not None:
        entries = [e for e in entries if _status_matches(e["status"], status)]
    if since is not None:
        moment = _instant(since)
        entries = [e for e in entries if _instant(e["time"]) > moment]
    return {"requests": entries}, 200


def _status_matches(status: int, wanted: str) -> bool:
    """``404`` matches itself; ``4xx`` matches the class."""
    return str(status)[0] == wanted[0] if wanted.endswith("xx") else str(status) == wanted


def _instant(timestamp: str) -> datetime:
    return datetime.fromisoformat(timestamp.replace("Z", "+00:00"))


def clear_requests(ctx: Context) -> tuple[None, int]:
    ctx.runtime.store.clear_journal(ctx.principal.tenant)
    return None, 204


#: Calls that change a tenant (or every tenant): under ``--auth-file`` only ``admin: true`` entries may make them.
STATE_CHANGING = frozenset({"replace_state", "reset_state", "clear_requests"})


def authorize(principal: Principal, operation_id: str) -> None:
    if operation_id in STATE_CHANGING and not principal.admin:
        raise Forbidden(f"only an admin credential (admin: true in the auth file) may call {operation_id}")


ADMIN = Vendor(
    name="mock_admin",
    handlers=__name__,
    render_error=render_error,
    authorize=authorize,
)

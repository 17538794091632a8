"""COR handlers: pure state changes on the caller's tenant, named after their operationIds.

Each one looks up everything it needs before it changes anything, so an error leaves the state untouched.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from mock_server.core.context import Context
from mock_server.core.errors import NotFound, truncate

WORKSPACE_FIELDS = ("name", "active", "description")
USER_FIELDS = (
    "first_name",
    "last_name",
    "phone",
    "position",
    "department",
    "role_id",
    "daily_hours",
    "user_position_id",
    "seniority_id",
)


def update_workspace(ctx: Context, id: str, body: dict[str, Any]) -> tuple[dict[str, Any], int]:
    """Partial update: only the fields sent change; ``active: false`` is how COR "deletes" a workspace."""
    source = body["metadata"]["source"]
    with ctx.state() as cor:
        workspace = _find(cor["workspaces"], source, id, "workspace")
        _apply(workspace, body, WORKSPACE_FIELDS, ctx.now())
        return _workspace_view(cor, workspace), 200


def update_user(ctx: Context, id: str, body: dict[str, Any]) -> tuple[dict[str, Any], int]:
    """Partial update; a position or seniority must already exist for the same source."""
    source = body["metadata"]["source"]
    with ctx.state() as cor:
        user = _find(cor["users"], source, id, "user")
        if "user_position_id" in body:
            _find(cor["positions"], source, body["user_position_id"], "user position")
        if "seniority_id" in body:
            _find(cor["seniorities"], source, body["seniority_id"], "seniority")
        _apply(user, body, USER_FIELDS, ctx.now())
        return _user_view(cor, user), 200


def attach_user_workspaces(ctx: Context, id: str, body: dict[str, Any]) -> tuple[dict[str, Any], int]:
    """Attach workspaces to a user, all or nothing; re-attaching a workspace updates its percentage.

    The response lists every workspace the user has afterwards, not only those sent.
    """
    source = body["metadata"]["source"]
    with ctx.state() as cor:
        user = _find(cor["users"], source, id, "user")
        for item in body["workspaces"]:
            _find(cor["workspaces"], source, item["workspaceId"], "workspace", detail=True)
        now = _timestamp(ctx.now())
        attached = user.setdefault("workspaces", {})
        for item in body["workspaces"]:
            pivot = attached.setdefault(item["workspaceId"], {"attached_at": now})
            pivot["percentage"] = item["percentage"]
        return _user_workspaces_view(cor, source, user), 200


def views(cor: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """Every stored entity as an operation answers it: ``(entry, operationId, body)``."""
    for source, workspaces in cor["workspaces"].items():
        for external_id, workspace in workspaces.items():
            yield f"workspaces.{source}.{external_id}", "update_workspace", _workspace_view(cor, workspace)
    for source, users in cor["users"].items():
        for external_id, user in users.items():
            yield f"users.{source}.{external_id}", "update_user", _user_view(cor, user)
            if user.get("workspaces"):
                yield (
                    f"users.{source}.{external_id}",
                    "attach_user_workspaces",
                    _user_workspaces_view(cor, source, user),
                )


def _find(
    entities: dict[str, dict[str, Any]], source: str, external_id: str, kind: str, *, detail: bool = False
) -> dict[str, Any]:
    found = entities.get(source, {}).get(external_id)
    if found is None:
        message = f"No {kind} found with the specified external ID for this source"
        if detail:
            message += f": {truncate(external_id)}"
        raise NotFound(message, entity=kind, key=external_id)
    return found


def _apply(record: dict[str, Any], body: dict[str, Any], fields: tuple[str, ...], now: datetime) -> None:
    for field in fields:
        if field in body:
            record[field] = body[field]
    record["updated_at"] = _timestamp(now)


def _timestamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _attach_format(timestamp: str) -> str:
    """The attach response shows ``2026-01-15 22:42:15``, not RFC 3339 (see the spec's x-assumption)."""
    return timestamp.replace("T", " ").removesuffix("Z")[:19]


def _user_workspaces_view(cor: dict[str, Any], source: str, user: dict[str, Any]) -> dict[str, Any]:
    workspaces = cor["workspaces"][source]
    return {
        "id": user["id"],
        "name": f"{user['first_name']} {user['last_name']}",
        "email": user["email"],
        "workspaces": [
            _attached_view(cor, source, external_id, workspaces[external_id], user, pivot)
            for external_id, pivot in user.get("workspaces", {}).items()
        ],
    }


def _workspace_view(cor: dict[str, Any], workspace: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": workspace["id"],
        "name": workspace["name"],
        "active": workspace["active"],
        "description": workspace["description"],
        "company_id": cor["company_id"],
        "created_at": workspace["created_at"],
        "updated_at": workspace["updated_at"],
    }


def _user_view(cor: dict[str, Any], user: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": user["id"],
        "email": user["email"],
        "first_name": user["first_name"],
        "last_name": user["last_name"],
        "phone": user.get("phone"),
        "role_id": user["role_id"],
        "daily_hours": user["daily_hours"],
        "company_id": cor["company_id"],
        "created_at": user["created_at"],
        "updated_at": user["updated_at"],
    }


def _attached_view(
    cor: dict[str, Any],
    source: str,
    external_id: str,
    workspace: dict[str, Any],
    user: dict[str, Any],
    pivot: dict[str, Any],
) -> dict[str, Any]:
    return {
        "id": workspace["id"],
        "name": workspace["name"],
        "active": workspace["active"],
        "metadata": workspace.get("metadata", {}),
        "json_integrations": {
            "integration_id": cor["integrations"][source],
            "is_active": workspace["active"],
            "source": source,
            "destination": None,
            "status": "NOT_SEND",
            "origin_external_id": external_id,
            "destination_external_id": None,
        },
        "created_at": _attach_format(workspace["created_at"]),
        "updated_at": _attach_format(workspace["updated_at"]),
        "pivot": {"workspace_id": workspace["id"], "user_id": user["id"], "percentage": pivot["percentage"]},
    }

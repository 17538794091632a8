"""Dreadnode handlers: pure state changes on the caller's tenant, named after their operationIds.

Workspaces are stored per organization slug, keyed by their ``key``: renaming a workspace moves its record
to the new key, so the old path is 404 from then on. Each handler checks everything before it changes
anything, so an error leaves the state untouched.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from mock_server.core.context import Context
from mock_server.core.errors import Conflict, NotFound, truncate

#: Request fields copied onto the record as sent (``key`` moves the record instead).
UPDATABLE = ("name", "description", "is_active")


def get_workspace(ctx: Context, org: str, workspace: str) -> tuple[dict[str, Any], int]:
    with ctx.state() as dreadnode:
        organization, record = _find(dreadnode, org, workspace)
        return _view(organization, workspace, record), 200


def update_workspace(ctx: Context, org: str, workspace: str, body: dict[str, Any]) -> tuple[dict[str, Any], int]:
    """Partial update; a new ``key`` must be free within the organization, and moves the workspace there."""
    with ctx.state() as dreadnode:
        organization, record = _find(dreadnode, org, workspace)
        workspaces = organization["workspaces"]
        key = body.get("key", workspace)
        if key != workspace and key in workspaces:
            raise Conflict(f"A workspace with key '{truncate(key)}' already exists in organization '{truncate(org)}'")
        for field in UPDATABLE:
            if field in body:
                record[field] = body[field]
        record["updated_at"] = _timestamp(ctx.now())
        if key != workspace:
            workspaces[key] = workspaces.pop(workspace)
        return _view(organization, key, record), 200


def views(dreadnode: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """Every stored workspace as ``get_workspace`` answers it: ``(entry, operationId, body)``."""
    for slug, organization in dreadnode["organizations"].items():
        for key, record in organization["workspaces"].items():
            yield f"organizations.{slug}.workspaces.{key}", "get_workspace", _view(organization, key, record)


def _find(dreadnode: dict[str, Any], org: str, workspace: str) -> tuple[dict[str, Any], dict[str, Any]]:
    organization = dreadnode["organizations"].get(org)
    if organization is None:
        raise NotFound(f"Organization '{truncate(org)}' not found", entity="organization", key=org)
    record = organization["workspaces"].get(workspace)
    if record is None:
        raise NotFound(
            f"Workspace '{truncate(workspace)}' not found in organization '{truncate(org)}'",
            entity="workspace",
            key=workspace,
        )
    return organization, record


def _timestamp(moment: datetime) -> str:
    """RFC 3339 in UTC with microseconds, so that two updates within a second still move ``updated_at``."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _view(organization: dict[str, Any], key: str, record: dict[str, Any]) -> dict[str, Any]:
    """The WorkspaceResponse of the spec: every key always present, in the docs' order."""
    return {
        "created_at": record["created_at"],
        "created_by": record["created_by"],
        "description": record["description"],
        "id": record["id"],
        "is_active": record["is_active"],
        "is_default": record["is_default"],
        "key": key,
        "name": record["name"],
        "org_id": organization["id"],
        "org_name": organization["name"],
        "project_count": record["project_count"],
        "updated_at": record["updated_at"],
    }

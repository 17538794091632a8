"""Nexudus handlers: pure state changes on the caller's tenant, named after their operationIds.

Workspaces are kept by Id (as a string key, the way JSON state round-trips). A PUT replaces the record:
what the body leaves out is cleared, except the member list, which changes only through ``Members``
(replaced), then ``AddedMembers`` and ``RemovedMembers`` (item by item).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from mock_server.core.context import Context
from mock_server.core.errors import NotFound

from .errors import NOT_FOUND

FLAGS = ("VisibleInMySpaces", "VisibleByEveryone", "Archived")
#: Longest ``UpdatedBy`` the spec allows.
MAX_UPDATED_BY = 255


def update_workspace(ctx: Context, body: dict[str, Any]) -> tuple[dict[str, Any], int]:
    """Full replace of the workspace ``body["Id"]``; answers Nexudus's result envelope."""
    with ctx.state() as nexudus:
        workspace = _find(nexudus, body["Id"])
        now = _timestamp(ctx.now())
        updated_by = ctx.principal.name[:MAX_UPDATED_BY]
        workspace.update(
            {
                "BusinessId": body["BusinessId"],
                "AdministratorId": body["AdministratorId"],
                "Name": body["Name"],
                **{flag: body.get(flag, False) for flag in FLAGS},
                # ASP.NET binds "" as null: an empty description is no description.
                "Description": body.get("Description") or None,
                "Members": _members(workspace["Members"], body),
                "UpdatedOn": now,
                "UpdatedBy": updated_by,
            }
        )
        return {
            "Status": 200,
            "Message": "Workspace was successfully updated.",
            "Value": {"Id": workspace["Id"]},
            "OpenInDialog": False,
            "OpenInWindow": False,
            "RedirectURL": None,
            "JavaScript": None,
            "UpdatedOn": now,
            "UpdatedBy": updated_by,
            "Errors": None,
            "WasSuccessful": True,
        }, 200


def get_workspace(ctx: Context, id: int) -> tuple[dict[str, Any], int]:
    with ctx.state() as nexudus:
        return dict(_find(nexudus, id)), 200


def views(nexudus: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """Every stored workspace as ``get_workspace`` answers it: ``(entry, operationId, body)``."""
    for key, workspace in nexudus["workspaces"].items():
        yield f"workspaces.{key}", "get_workspace", dict(workspace)


def _find(nexudus: dict[str, Any], workspace_id: int) -> dict[str, Any]:
    workspace: dict[str, Any] | None = nexudus["workspaces"].get(str(workspace_id))
    if workspace is None:
        raise NotFound(NOT_FOUND, entity="workspace", key=str(workspace_id))
    return workspace


def _members(current: list[int], body: dict[str, Any]) -> list[int]:
    """``Members`` replaces the list, then ``AddedMembers`` appends and ``RemovedMembers`` drops, by Id."""
    members = dict.fromkeys(body["Members"] if "Members" in body else current)  # ordered, each Id once
    members.update(dict.fromkeys(body.get("AddedMembers", [])))
    for member in body.get("RemovedMembers", []):
        members.pop(member, None)
    return list(members)


def _timestamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")

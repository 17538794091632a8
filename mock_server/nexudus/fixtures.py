"""The shape of Nexudus fixtures, and what a schema cannot check.

Workspaces are keyed by their Id as a string (``"87654321"``), the form JSON gives keys, so that the state
read from ``GET /__mock__/state`` can be written back with ``PUT /__mock__/state`` unchanged. Each record
holds the fields ``GET /collaboration/workspaces/{id}`` returns.
"""

from __future__ import annotations

from typing import Any

MAX_ID = 2_147_483_647

_ID = {"type": "integer", "minimum": 0, "maximum": MAX_ID}
_TIMESTAMP = {"type": "string", "format": "date-time", "maxLength": 35}

_WORKSPACE = {
    "type": "object",
    "additionalProperties": False,
    "required": [
        "Id",
        "BusinessId",
        "AdministratorId",
        "Name",
        "VisibleInMySpaces",
        "VisibleByEveryone",
        "Archived",
        "Description",
        "Members",
        "CreatedOn",
        "UpdatedOn",
        "UpdatedBy",
    ],
    "properties": {
        "Id": _ID,
        "BusinessId": _ID,
        "AdministratorId": _ID,
        "Name": {"type": "string", "minLength": 1, "maxLength": 255},
        "VisibleInMySpaces": {"type": "boolean"},
        "VisibleByEveryone": {"type": "boolean"},
        "Archived": {"type": "boolean"},
        "Description": {"type": ["string", "null"], "minLength": 1, "maxLength": 4000},
        "Members": {"type": "array", "items": _ID, "uniqueItems": True},
        "CreatedOn": _TIMESTAMP,
        "UpdatedOn": _TIMESTAMP,
        "UpdatedBy": {"type": "string", "maxLength": 255},
    },
}

FIXTURE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["workspaces"],
    "properties": {
        "workspaces": {
            "type": "object",
            "propertyNames": {"pattern": "^(0|[1-9][0-9]{0,9})$"},
            "additionalProperties": _WORKSPACE,
        },
    },
}


def check_fixtures(nexudus: dict[str, Any]) -> list[tuple[str, str]]:
    """Each workspace is filed under its own Id, and was not updated before it was created."""
    problems = []
    for key, workspace in nexudus["workspaces"].items():
        if str(workspace["Id"]) != key:
            problems.append((f"workspaces.{key}.Id", f"is {workspace['Id']}, but the record is filed under {key}"))
        if workspace["UpdatedOn"] < workspace["CreatedOn"]:
            problems.append((f"workspaces.{key}.UpdatedOn", "is before CreatedOn"))
    return problems

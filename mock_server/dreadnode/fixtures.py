"""The shape of Dreadnode fixtures, and the checks a schema cannot express.

Organizations are keyed by their slug and workspaces by their key within the organization, the way the
API addresses them (``/org/{org}/ws/{workspace}``); the key is not repeated inside the record.
"""

from __future__ import annotations

from typing import Any

#: The slug rule of ``Slug`` in openapi/dreadnode.yaml, for organization slugs and workspace keys.
SLUG = {"type": "string", "minLength": 1, "maxLength": 64, "pattern": "^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$"}
_UUID = {"type": "string", "format": "uuid"}
_TIMESTAMP = {"type": "string", "format": "date-time"}

_WORKSPACE = {
    "type": "object",
    "additionalProperties": False,
    "required": [
        "id",
        "name",
        "description",
        "is_active",
        "is_default",
        "created_by",
        "project_count",
        "created_at",
        "updated_at",
    ],
    "properties": {
        "id": _UUID,
        "name": {"type": "string", "minLength": 1, "maxLength": 255},
        "description": {"type": ["string", "null"], "maxLength": 2000},
        "is_active": {"type": "boolean"},
        "is_default": {"type": "boolean"},
        "created_by": {"type": ["string", "null"], "format": "uuid"},
        "project_count": {"type": ["integer", "null"], "minimum": 0, "maximum": 2147483647},
        "created_at": _TIMESTAMP,
        "updated_at": _TIMESTAMP,
    },
}

_ORGANIZATION = {
    "type": "object",
    "additionalProperties": False,
    "required": ["id", "name", "workspaces"],
    "properties": {
        "id": _UUID,
        "name": {"type": ["string", "null"], "maxLength": 255, "description": "org_name in responses."},
        "workspaces": {"type": "object", "propertyNames": SLUG, "additionalProperties": _WORKSPACE},
    },
}

FIXTURE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["organizations"],
    "properties": {
        "organizations": {"type": "object", "propertyNames": SLUG, "additionalProperties": _ORGANIZATION},
    },
}


def check_fixtures(dreadnode: dict[str, Any]) -> list[tuple[str, str]]:
    """At most one default workspace per organization, and workspace IDs unique across organizations."""
    problems = []
    owners: dict[str, str] = {}
    for slug, organization in dreadnode["organizations"].items():
        defaults = [key for key, workspace in organization["workspaces"].items() if workspace["is_default"]]
        if len(defaults) > 1:
            problems.append((f"organizations.{slug}.workspaces", f"more than one default workspace: {defaults}"))
        for key, workspace in organization["workspaces"].items():
            entry = f"organizations.{slug}.workspaces.{key}.id"
            workspace_id = workspace["id"].lower()
            if workspace_id in owners:
                problems.append((entry, f"{workspace['id']} is also the id of {owners[workspace_id]}"))
            owners[workspace_id] = f"{slug}/{key}"
    return problems

"""The shape of COR fixtures, and the cross-references a schema cannot check.

Entities are keyed by ``metadata.source`` and then by external ID, because COR looks every external ID
up within the integration that sent it: ``OKTA-USER-12345`` is one user for OKTA and another for
MICROSOFT_DYNAMICS.
"""

from __future__ import annotations

from typing import Any

SOURCES = [
    "JIRA",
    "SALESFORCE",
    "ADVERTMIND",
    "QUICKBOOKS",
    "ZAPIER",
    "OKTA",
    "MICROSOFT_DYNAMICS",
    "GITHUB",
    "MICROSOFT_TEAMS",
    "VBS",
    "SAP",
    "GLOBANT",
]

_TIMESTAMP = {"type": "string", "format": "date-time"}
_ID = {"type": "integer", "minimum": 1}
_TEXT = {"type": "string", "maxLength": 255}


def _by_source(entity: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "propertyNames": {"enum": SOURCES},
        "additionalProperties": {
            "type": "object",
            "propertyNames": {"minLength": 1, "maxLength": 255},
            "additionalProperties": entity,
        },
    }


_WORKSPACE = {
    "type": "object",
    "additionalProperties": False,
    "required": ["id", "name", "active", "description", "created_at", "updated_at"],
    "properties": {
        "id": _ID,
        "name": {"type": "string", "minLength": 1, "maxLength": 255},
        "active": {"type": "boolean"},
        "description": {"type": ["string", "null"], "maxLength": 5000},
        "metadata": {"type": "object"},
        "created_at": _TIMESTAMP,
        "updated_at": _TIMESTAMP,
    },
}

_USER = {
    "type": "object",
    "additionalProperties": False,
    "required": ["id", "email", "first_name", "last_name", "role_id", "daily_hours", "created_at", "updated_at"],
    "properties": {
        "id": _ID,
        "email": {"type": "string", "format": "email"},
        "first_name": {"type": "string", "minLength": 1, "maxLength": 255},
        "last_name": {"type": "string", "minLength": 1, "maxLength": 255},
        "phone": {"type": ["string", "null"], "maxLength": 50},
        "position": {"type": ["string", "null"], "maxLength": 255},
        "department": {"type": ["string", "null"], "maxLength": 255},
        "role_id": {"type": "integer", "minimum": 1, "maximum": 6},
        "daily_hours": {"type": "number", "minimum": 0, "maximum": 24},
        "user_position_id": {"type": ["string", "null"]},
        "seniority_id": {"type": ["string", "null"]},
        "created_at": _TIMESTAMP,
        "updated_at": _TIMESTAMP,
        "workspaces": {
            "type": "object",
            "description": "Attached workspaces: external workspace ID (same source) → pivot data.",
            "additionalProperties": {
                "type": "object",
                "additionalProperties": False,
                "required": ["percentage", "attached_at"],
                "properties": {
                    "percentage": {"type": "number", "minimum": 0, "maximum": 100},
                    "attached_at": _TIMESTAMP,
                },
            },
        },
    },
}

_NAMED = {
    "type": "object",
    "additionalProperties": False,
    "required": ["id", "name"],
    "properties": {"id": _ID, "name": _TEXT},
}

FIXTURE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["company_id", "integrations", "workspaces", "users", "positions", "seniorities"],
    "properties": {
        "company_id": _ID,
        "integrations": {
            "type": "object",
            "description": "integration_id of each source, as json_integrations shows it.",
            "propertyNames": {"enum": SOURCES},
            "additionalProperties": _ID,
        },
        "workspaces": _by_source(_WORKSPACE),
        "users": _by_source(_USER),
        "positions": _by_source(_NAMED),
        "seniorities": _by_source(_NAMED),
    },
}


def check_fixtures(cor: dict[str, Any]) -> list[tuple[str, str]]:
    """References between entities: a user's position, seniority and attached workspaces must exist."""
    problems = []
    for source, users in cor["users"].items():
        for external_id, user in users.items():
            entry = f"users.{source}.{external_id}"
            if source not in cor["integrations"]:
                problems.append((entry, f"source {source} has no entry in integrations"))
            for field, kind in (("user_position_id", "positions"), ("seniority_id", "seniorities")):
                ref = user.get(field)
                if ref is not None and ref not in cor[kind].get(source, {}):
                    problems.append((f"{entry}.{field}", f"{ref!r} is not in {kind}.{source}"))
            for workspace_id in user.get("workspaces", {}):
                if workspace_id not in cor["workspaces"].get(source, {}):
                    problems.append(
                        (f"{entry}.workspaces.{workspace_id}", f"no workspace {workspace_id!r} for {source}")
                    )
    return problems

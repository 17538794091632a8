from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="WorkspaceResponse")


@_attrs_define
class WorkspaceResponse:
    """Workspace response.

    Attributes:
        created_at (datetime.datetime): Creation timestamp (RFC 3339, UTC); never changes. Example:
            2026-04-15T12:00:00Z.
        created_by (None | UUID): ID of the user who created the workspace, or null when it was created by the platform
            itself (such as an organization's default workspace). Example: 2489E9AD-2EE2-8E00-8EC9-32D5F69181C0.
        description (None | str): Workspace description, or null when it has none. Example: example.
        id (UUID): Workspace ID; never changes, even when the key does. Example: 2489E9AD-2EE2-8E00-8EC9-32D5F69181C0.
        is_active (bool): Is workspace active. Example: True.
        is_default (bool): Is default workspace (of its organization). Example: True.
        key (str): A slug naming an organization or a workspace in URLs; lower-case letters, digits and hyphens,
            starting and ending with a letter or digit. Example: example.
        name (str): Workspace name. Example: example.
        org_id (UUID): Organization ID. Example: 2489E9AD-2EE2-8E00-8EC9-32D5F69181C0.
        org_name (None | str): Name of the organization, or null when it is not loaded with the workspace. Example:
            example.
        project_count (int | None): Number of projects in the workspace, or null when it is not counted. Example: 1.
        updated_at (datetime.datetime): Last update timestamp (RFC 3339, UTC); every successful update sets it. Example:
            2026-04-15T12:00:00Z.
    """

    created_at: datetime.datetime
    created_by: None | UUID
    description: None | str
    id: UUID
    is_active: bool
    is_default: bool
    key: str
    name: str
    org_id: UUID
    org_name: None | str
    project_count: int | None
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at.isoformat()

        created_by: None | str
        if isinstance(self.created_by, UUID):
            created_by = str(self.created_by)
        else:
            created_by = self.created_by

        description: None | str
        description = self.description

        id = str(self.id)

        is_active = self.is_active

        is_default = self.is_default

        key = self.key

        name = self.name

        org_id = str(self.org_id)

        org_name: None | str
        org_name = self.org_name

        project_count: int | None
        project_count = self.project_count

        updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at": created_at,
                "created_by": created_by,
                "description": description,
                "id": id,
                "is_active": is_active,
                "is_default": is_default,
                "key": key,
                "name": name,
                "org_id": org_id,
                "org_name": org_name,
                "project_count": project_count,
                "updated_at": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_created_by(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                created_by_type_0 = UUID(data)

                return created_by_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        created_by = _parse_created_by(d.pop("created_by"))

        def _parse_description(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        description = _parse_description(d.pop("description"))

        id = UUID(d.pop("id"))

        is_active = d.pop("is_active")

        is_default = d.pop("is_default")

        key = d.pop("key")

        name = d.pop("name")

        org_id = UUID(d.pop("org_id"))

        def _parse_org_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        org_name = _parse_org_name(d.pop("org_name"))

        def _parse_project_count(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        project_count = _parse_project_count(d.pop("project_count"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        workspace_response = cls(
            created_at=created_at,
            created_by=created_by,
            description=description,
            id=id,
            is_active=is_active,
            is_default=is_default,
            key=key,
            name=name,
            org_id=org_id,
            org_name=org_name,
            project_count=project_count,
            updated_at=updated_at,
        )

        workspace_response.additional_properties = d
        return workspace_response

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties

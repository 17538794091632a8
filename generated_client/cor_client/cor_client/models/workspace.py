from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="Workspace")


@_attrs_define
class Workspace:
    """A COR workspace as returned after an update.

    Attributes:
        id (int): COR's internal workspace ID. Example: 5001.
        name (str): Workspace name. Example: Marketing & Communications Team.
        active (bool): Whether the workspace is active. Example: True.
        description (None | str): Workspace description, or null when none was ever set. Example: Combined marketing and
            communications workspace.
        company_id (int): ID of the COR company (tenant) that owns the workspace. Example: 1234.
        created_at (datetime.datetime): When the workspace was created (RFC 3339, UTC). Example: 2025-01-10T14:30:00Z.
        updated_at (datetime.datetime): When the workspace was last updated (RFC 3339, UTC). Example:
            2025-01-15T10:00:00Z.
    """

    id: int
    name: str
    active: bool
    description: None | str
    company_id: int
    created_at: datetime.datetime
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        active = self.active

        description: None | str
        description = self.description

        company_id = self.company_id

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "active": active,
                "description": description,
                "company_id": company_id,
                "created_at": created_at,
                "updated_at": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        active = d.pop("active")

        def _parse_description(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        description = _parse_description(d.pop("description"))

        company_id = d.pop("company_id")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        workspace = cls(
            id=id,
            name=name,
            active=active,
            description=description,
            company_id=company_id,
            created_at=created_at,
            updated_at=updated_at,
        )

        workspace.additional_properties = d
        return workspace

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

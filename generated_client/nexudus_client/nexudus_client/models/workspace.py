from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="Workspace")


@_attrs_define
class Workspace:
    """A workspace record as stored.

    Attributes:
        id (int): The Id of the workspace record. Example: 87654321.
        business_id (int): ID of the business linked to this record. Example: 123.
        administrator_id (int): ID of the administrator linked to this record. Example: 123.
        name (str): The name of this workspace. Example: Design Studio.
        visible_in_my_spaces (bool): Whether visible in my spaces is enabled. Example: True.
        visible_by_everyone (bool): Whether visible by everyone is enabled. Example: False.
        archived (bool): Whether this workspace is archived and hidden from active lists. Example: False.
        description (None | str): Free-text description of this workspace, or null when it has none. Example: Shared
            space for the design team.
        members (list[int]): Ids of the members linked to this record, in the order they were added; no upper bound.
            Example: [1002, 1003].
        created_on (datetime.datetime): When the record was created (RFC 3339, UTC). Example: 2024-06-01T09:00:00Z.
        updated_on (datetime.datetime): When the record was last updated (RFC 3339, UTC). Example: 2025-01-15T10:30:00Z.
        updated_by (str): Who last updated the record (the administrator's email for a Basic credential). Example:
            admin@example.com.
    """

    id: int
    business_id: int
    administrator_id: int
    name: str
    visible_in_my_spaces: bool
    visible_by_everyone: bool
    archived: bool
    description: None | str
    members: list[int]
    created_on: datetime.datetime
    updated_on: datetime.datetime
    updated_by: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        business_id = self.business_id

        administrator_id = self.administrator_id

        name = self.name

        visible_in_my_spaces = self.visible_in_my_spaces

        visible_by_everyone = self.visible_by_everyone

        archived = self.archived

        description: None | str
        description = self.description

        members = self.members

        created_on = self.created_on.isoformat()

        updated_on = self.updated_on.isoformat()

        updated_by = self.updated_by

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "Id": id,
                "BusinessId": business_id,
                "AdministratorId": administrator_id,
                "Name": name,
                "VisibleInMySpaces": visible_in_my_spaces,
                "VisibleByEveryone": visible_by_everyone,
                "Archived": archived,
                "Description": description,
                "Members": members,
                "CreatedOn": created_on,
                "UpdatedOn": updated_on,
                "UpdatedBy": updated_by,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("Id")

        business_id = d.pop("BusinessId")

        administrator_id = d.pop("AdministratorId")

        name = d.pop("Name")

        visible_in_my_spaces = d.pop("VisibleInMySpaces")

        visible_by_everyone = d.pop("VisibleByEveryone")

        archived = d.pop("Archived")

        def _parse_description(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        description = _parse_description(d.pop("Description"))

        members = cast(list[int], d.pop("Members"))

        created_on = datetime.datetime.fromisoformat(d.pop("CreatedOn"))

        updated_on = datetime.datetime.fromisoformat(d.pop("UpdatedOn"))

        updated_by = d.pop("UpdatedBy")

        workspace = cls(
            id=id,
            business_id=business_id,
            administrator_id=administrator_id,
            name=name,
            visible_in_my_spaces=visible_in_my_spaces,
            visible_by_everyone=visible_by_everyone,
            archived=archived,
            description=description,
            members=members,
            created_on=created_on,
            updated_on=updated_on,
            updated_by=updated_by,
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

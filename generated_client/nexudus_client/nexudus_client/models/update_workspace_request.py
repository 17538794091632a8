from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="UpdateWorkspaceRequest")


@_attrs_define
class UpdateWorkspaceRequest:
    """The whole workspace record to store, addressed by `Id`; fields left out are cleared.

    Attributes:
        id (int): The Id of the Workspace record to update. Example: 87654321.
        business_id (int): ID of the business linked to this record. Example: 123.
        administrator_id (int): ID of the administrator linked to this record. Example: 123.
        name (str): The name value for this workspace; an empty string is "a required field" missing. Example: Design
            Studio.
        visible_in_my_spaces (bool | Unset): Whether visible in my spaces is enabled; left out, it becomes false.
            Default: False. Example: True.
        visible_by_everyone (bool | Unset): Whether visible by everyone is enabled; left out, it becomes false. Default:
            False. Example: False.
        archived (bool | Unset): Whether this workspace is archived and hidden from active lists; left out, it becomes
            false. Default: False. Example: False.
        description (None | str | Unset): Free-text description of this workspace; left out, null or empty, the
            workspace has none (null). Example: Shared space for the design team.
        members (list[int] | Unset): List of members linked to this record; when sent it replaces the list (an Id given
            twice counts once), left out the list is kept. Example: [1001, 1002].
        added_members (list[int] | Unset): The added members value for this workspace; each Id is added to the list
            (after `Members`) unless it is already there. Example: [1003].
        removed_members (list[int] | Unset): The removed members value for this workspace; each Id is removed from the
            list (after `AddedMembers`), an Id not in it is ignored. Example: [1001].
    """

    id: int
    business_id: int
    administrator_id: int
    name: str
    visible_in_my_spaces: bool | Unset = False
    visible_by_everyone: bool | Unset = False
    archived: bool | Unset = False
    description: None | str | Unset = UNSET
    members: list[int] | Unset = UNSET
    added_members: list[int] | Unset = UNSET
    removed_members: list[int] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        business_id = self.business_id

        administrator_id = self.administrator_id

        name = self.name

        visible_in_my_spaces = self.visible_in_my_spaces

        visible_by_everyone = self.visible_by_everyone

        archived = self.archived

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        members: list[int] | Unset = UNSET
        if not isinstance(self.members, Unset):
            members = self.members

        added_members: list[int] | Unset = UNSET
        if not isinstance(self.added_members, Unset):
            added_members = self.added_members

        removed_members: list[int] | Unset = UNSET
        if not isinstance(self.removed_members, Unset):
            removed_members = self.removed_members

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "Id": id,
                "BusinessId": business_id,
                "AdministratorId": administrator_id,
                "Name": name,
            }
        )
        if visible_in_my_spaces is not UNSET:
            field_dict["VisibleInMySpaces"] = visible_in_my_spaces
        if visible_by_everyone is not UNSET:
            field_dict["VisibleByEveryone"] = visible_by_everyone
        if archived is not UNSET:
            field_dict["Archived"] = archived
        if description is not UNSET:
            field_dict["Description"] = description
        if members is not UNSET:
            field_dict["Members"] = members
        if added_members is not UNSET:
            field_dict["AddedMembers"] = added_members
        if removed_members is not UNSET:
            field_dict["RemovedMembers"] = removed_members

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("Id")

        business_id = d.pop("BusinessId")

        administrator_id = d.pop("AdministratorId")

        name = d.pop("Name")

        visible_in_my_spaces = d.pop("VisibleInMySpaces", UNSET)

        visible_by_everyone = d.pop("VisibleByEveryone", UNSET)

        archived = d.pop("Archived", UNSET)

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("Description", UNSET))

        members = cast(list[int], d.pop("Members", UNSET))

        added_members = cast(list[int], d.pop("AddedMembers", UNSET))

        removed_members = cast(list[int], d.pop("RemovedMembers", UNSET))

        update_workspace_request = cls(
            id=id,
            business_id=business_id,
            administrator_id=administrator_id,
            name=name,
            visible_in_my_spaces=visible_in_my_spaces,
            visible_by_everyone=visible_by_everyone,
            archived=archived,
            description=description,
            members=members,
            added_members=added_members,
            removed_members=removed_members,
        )

        update_workspace_request.additional_properties = d
        return update_workspace_request

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

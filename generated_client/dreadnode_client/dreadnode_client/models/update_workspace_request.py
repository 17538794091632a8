from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="UpdateWorkspaceRequest")


@_attrs_define
class UpdateWorkspaceRequest:
    """Request to update workspace. Every field is optional; only the fields sent change.

    Example:
        {'description': 'example', 'is_active': True, 'key': 'example', 'name': 'example'}

    Attributes:
        name (str | Unset): New workspace name. Example: example.
        key (str | Unset): A slug naming an organization or a workspace in URLs; lower-case letters, digits and hyphens,
            starting and ending with a letter or digit. Example: example.
        description (None | str | Unset): New workspace description; null clears it. Example: example.
        is_active (bool | Unset): Whether the workspace is active. Example: True.
    """

    name: str | Unset = UNSET
    key: str | Unset = UNSET
    description: None | str | Unset = UNSET
    is_active: bool | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        key = self.key

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        is_active = self.is_active

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if name is not UNSET:
            field_dict["name"] = name
        if key is not UNSET:
            field_dict["key"] = key
        if description is not UNSET:
            field_dict["description"] = description
        if is_active is not UNSET:
            field_dict["is_active"] = is_active

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name", UNSET)

        key = d.pop("key", UNSET)

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        is_active = d.pop("is_active", UNSET)

        update_workspace_request = cls(
            name=name,
            key=key,
            description=description,
            is_active=is_active,
        )

        return update_workspace_request

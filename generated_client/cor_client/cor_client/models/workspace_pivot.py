from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="WorkspacePivot")


@_attrs_define
class WorkspacePivot:
    """The row linking a user to a workspace.

    Attributes:
        workspace_id (int): COR's internal workspace ID. Example: 1.
        user_id (int): COR's internal user ID. Example: 8545.
        percentage (float): Percentage of the user's time assigned to the workspace. Example: 10.
    """

    workspace_id: int
    user_id: int
    percentage: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        workspace_id = self.workspace_id

        user_id = self.user_id

        percentage = self.percentage

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "workspace_id": workspace_id,
                "user_id": user_id,
                "percentage": percentage,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        workspace_id = d.pop("workspace_id")

        user_id = d.pop("user_id")

        percentage = d.pop("percentage")

        workspace_pivot = cls(
            workspace_id=workspace_id,
            user_id=user_id,
            percentage=percentage,
        )

        workspace_pivot.additional_properties = d
        return workspace_pivot

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

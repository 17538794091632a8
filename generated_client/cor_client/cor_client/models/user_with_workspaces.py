from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.attached_workspace import AttachedWorkspace


T = TypeVar("T", bound="UserWithWorkspaces")


@_attrs_define
class UserWithWorkspaces:
    """A user with the workspaces attached to it, as returned by the attach operation.

    Attributes:
        id (int): COR's internal user ID. Example: 8545.
        name (str): The user's full name. Example: John Doe.
        email (str): The user's email address. Example: john.doe@example.com.
        workspaces (list[AttachedWorkspace]): Every workspace attached to the user after the request, each with its
            pivot. Example: [{'id': 1, 'name': 'Workspaces test 5', 'active': True, 'metadata': {}, 'json_integrations':
            {'integration_id': 16, 'is_active': True, 'source': 'MICROSOFT_DYNAMICS', 'destination': None, 'status':
            'NOT_SEND', 'origin_external_id': 'Workspaces-example-5', 'destination_external_id': None}, 'created_at':
            '2026-01-15 22:42:15', 'updated_at': '2026-01-15 22:42:15', 'pivot': {'workspace_id': 1, 'user_id': 8545,
            'percentage': 10}}].
    """

    id: int
    name: str
    email: str
    workspaces: list[AttachedWorkspace]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        email = self.email

        workspaces = []
        for workspaces_item_data in self.workspaces:
            workspaces_item = workspaces_item_data.to_dict()
            workspaces.append(workspaces_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "email": email,
                "workspaces": workspaces,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.attached_workspace import AttachedWorkspace  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        email = d.pop("email")

        workspaces = []
        _workspaces = d.pop("workspaces")
        for workspaces_item_data in _workspaces:
            workspaces_item = AttachedWorkspace.from_dict(workspaces_item_data)

            workspaces.append(workspaces_item)

        user_with_workspaces = cls(
            id=id,
            name=name,
            email=email,
            workspaces=workspaces,
        )

        user_with_workspaces.additional_properties = d
        return user_with_workspaces

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

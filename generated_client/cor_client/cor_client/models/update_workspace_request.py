from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.integration_metadata import IntegrationMetadata


T = TypeVar("T", bound="UpdateWorkspaceRequest")


@_attrs_define
class UpdateWorkspaceRequest:
    """Fields of a workspace to update; only the fields sent are changed.

    Attributes:
        metadata (IntegrationMetadata): Integration metadata that every request carries; `source` selects the
            integration in which external IDs are looked up. Example: {'source': 'OKTA'}.
        name (str | Unset): Updated workspace name. Example: Marketing & Communications Team.
        active (bool | Unset): Whether the workspace is active; `false` deactivates it, which is how a workspace is
            "deleted". Example: True.
        description (str | Unset): Updated description. Example: Combined marketing and communications workspace.
    """

    metadata: IntegrationMetadata
    name: str | Unset = UNSET
    active: bool | Unset = UNSET
    description: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        metadata = self.metadata.to_dict()

        name = self.name

        active = self.active

        description = self.description

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "metadata": metadata,
            }
        )
        if name is not UNSET:
            field_dict["name"] = name
        if active is not UNSET:
            field_dict["active"] = active
        if description is not UNSET:
            field_dict["description"] = description

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.integration_metadata import IntegrationMetadata  # noqa: PLC0415

        d = dict(src_dict)
        metadata = IntegrationMetadata.from_dict(d.pop("metadata"))

        name = d.pop("name", UNSET)

        active = d.pop("active", UNSET)

        description = d.pop("description", UNSET)

        update_workspace_request = cls(
            metadata=metadata,
            name=name,
            active=active,
            description=description,
        )

        return update_workspace_request

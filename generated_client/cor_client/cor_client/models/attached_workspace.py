from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.attached_workspace_metadata import AttachedWorkspaceMetadata
    from ..models.integration_link import IntegrationLink
    from ..models.workspace_pivot import WorkspacePivot


T = TypeVar("T", bound="AttachedWorkspace")


@_attrs_define
class AttachedWorkspace:
    """A workspace attached to a user, with its integration link and its pivot.

    Attributes:
        id (int): COR's internal workspace ID. Example: 1.
        name (str): Workspace name. Example: Workspaces test 5.
        active (bool): Whether the workspace is active. Example: True.
        metadata (AttachedWorkspaceMetadata): Free-form metadata stored on the workspace; empty in the docs' example.
            Example: {}.
        json_integrations (IntegrationLink): The integration link of an entity (COR's `json_integrations` column).
        created_at (str): When the workspace was created, as `YYYY-MM-DD hh:mm:ss` (no T, no zone). Example: 2026-01-15
            22:42:15.
        updated_at (str): When the workspace was last updated, as `YYYY-MM-DD hh:mm:ss` (no T, no zone). Example:
            2026-01-15 22:42:15.
        pivot (WorkspacePivot): The row linking a user to a workspace.
    """

    id: int
    name: str
    active: bool
    metadata: AttachedWorkspaceMetadata
    json_integrations: IntegrationLink
    created_at: str
    updated_at: str
    pivot: WorkspacePivot
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        active = self.active

        metadata = self.metadata.to_dict()

        json_integrations = self.json_integrations.to_dict()

        created_at = self.created_at

        updated_at = self.updated_at

        pivot = self.pivot.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "active": active,
                "metadata": metadata,
                "json_integrations": json_integrations,
                "created_at": created_at,
                "updated_at": updated_at,
                "pivot": pivot,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.attached_workspace_metadata import AttachedWorkspaceMetadata  # noqa: PLC0415
        from ..models.integration_link import IntegrationLink  # noqa: PLC0415
        from ..models.workspace_pivot import WorkspacePivot  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        active = d.pop("active")

        metadata = AttachedWorkspaceMetadata.from_dict(d.pop("metadata"))

        json_integrations = IntegrationLink.from_dict(d.pop("json_integrations"))

        created_at = d.pop("created_at")

        updated_at = d.pop("updated_at")

        pivot = WorkspacePivot.from_dict(d.pop("pivot"))

        attached_workspace = cls(
            id=id,
            name=name,
            active=active,
            metadata=metadata,
            json_integrations=json_integrations,
            created_at=created_at,
            updated_at=updated_at,
            pivot=pivot,
        )

        attached_workspace.additional_properties = d
        return attached_workspace

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

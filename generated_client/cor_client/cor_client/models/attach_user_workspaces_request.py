from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.integration_metadata import IntegrationMetadata
    from ..models.workspace_attachment import WorkspaceAttachment


T = TypeVar("T", bound="AttachUserWorkspacesRequest")


@_attrs_define
class AttachUserWorkspacesRequest:
    """The workspaces to attach to a user.

    Attributes:
        workspaces (list[WorkspaceAttachment]): The workspaces to attach, each with the percentage of the user's time
            assigned to it. Example: [{'workspaceId': 'Workspaces-example-5', 'percentage': 10}].
        metadata (IntegrationMetadata): Integration metadata that every request carries; `source` selects the
            integration in which external IDs are looked up. Example: {'source': 'OKTA'}.
    """

    workspaces: list[WorkspaceAttachment]
    metadata: IntegrationMetadata

    def to_dict(self) -> dict[str, Any]:
        workspaces = []
        for workspaces_item_data in self.workspaces:
            workspaces_item = workspaces_item_data.to_dict()
            workspaces.append(workspaces_item)

        metadata = self.metadata.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "workspaces": workspaces,
                "metadata": metadata,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.integration_metadata import IntegrationMetadata  # noqa: PLC0415
        from ..models.workspace_attachment import WorkspaceAttachment  # noqa: PLC0415

        d = dict(src_dict)
        workspaces = []
        _workspaces = d.pop("workspaces")
        for workspaces_item_data in _workspaces:
            workspaces_item = WorkspaceAttachment.from_dict(workspaces_item_data)

            workspaces.append(workspaces_item)

        metadata = IntegrationMetadata.from_dict(d.pop("metadata"))

        attach_user_workspaces_request = cls(
            workspaces=workspaces,
            metadata=metadata,
        )

        return attach_user_workspaces_request

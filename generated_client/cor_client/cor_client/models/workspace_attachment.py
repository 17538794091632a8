from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="WorkspaceAttachment")


@_attrs_define
class WorkspaceAttachment:
    """One workspace to attach, by external ID, with the user's percentage in it.

    Attributes:
        workspace_id (str): External ID of a workspace previously created through the integrations API for
            `metadata.source`. Example: Workspaces-example-5.
        percentage (float): Percentage of the user's time assigned to the workspace; stored on the pivot. Example: 10.
    """

    workspace_id: str
    percentage: float

    def to_dict(self) -> dict[str, Any]:
        workspace_id = self.workspace_id

        percentage = self.percentage

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "workspaceId": workspace_id,
                "percentage": percentage,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        workspace_id = d.pop("workspaceId")

        percentage = d.pop("percentage")

        workspace_attachment = cls(
            workspace_id=workspace_id,
            percentage=percentage,
        )

        return workspace_attachment

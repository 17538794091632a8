from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.source import Source

T = TypeVar("T", bound="IntegrationLink")


@_attrs_define
class IntegrationLink:
    """The integration link of an entity (COR's `json_integrations` column).

    Attributes:
        integration_id (int): ID of the company's integration for this source. Example: 16.
        is_active (bool): Whether the integration link is active. Example: True.
        source (Source): The external system an integration entity comes from; external IDs are unique only within one
            source. Example: MICROSOFT_TEAMS.
        destination (None | str): The system the entity is synchronised to, or null when none.
        status (str): Synchronisation status of the link, such as `NOT_SEND`. Example: NOT_SEND.
        origin_external_id (str): The external ID the entity has in its source system. Example: Workspaces-example-5.
        destination_external_id (None | str): The external ID the entity has in the destination system, or null when
            none.
    """

    integration_id: int
    is_active: bool
    source: Source
    destination: None | str
    status: str
    origin_external_id: str
    destination_external_id: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        integration_id = self.integration_id

        is_active = self.is_active

        source = self.source.value

        destination: None | str
        destination = self.destination

        status = self.status

        origin_external_id = self.origin_external_id

        destination_external_id: None | str
        destination_external_id = self.destination_external_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "integration_id": integration_id,
                "is_active": is_active,
                "source": source,
                "destination": destination,
                "status": status,
                "origin_external_id": origin_external_id,
                "destination_external_id": destination_external_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        integration_id = d.pop("integration_id")

        is_active = d.pop("is_active")

        source = Source(d.pop("source"))

        def _parse_destination(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        destination = _parse_destination(d.pop("destination"))

        status = d.pop("status")

        origin_external_id = d.pop("origin_external_id")

        def _parse_destination_external_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        destination_external_id = _parse_destination_external_id(d.pop("destination_external_id"))

        integration_link = cls(
            integration_id=integration_id,
            is_active=is_active,
            source=source,
            destination=destination,
            status=status,
            origin_external_id=origin_external_id,
            destination_external_id=destination_external_id,
        )

        integration_link.additional_properties = d
        return integration_link

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

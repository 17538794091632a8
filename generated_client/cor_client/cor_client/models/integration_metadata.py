from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.source import Source

T = TypeVar("T", bound="IntegrationMetadata")


@_attrs_define
class IntegrationMetadata:
    """Integration metadata that every request carries; `source` selects the integration in which external IDs are looked
    up.

        Example:
            {'source': 'OKTA'}

        Attributes:
            source (Source): The external system an integration entity comes from; external IDs are unique only within one
                source. Example: MICROSOFT_TEAMS.
    """

    source: Source

    def to_dict(self) -> dict[str, Any]:
        source = self.source.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "source": source,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        source = Source(d.pop("source"))

        integration_metadata = cls(
            source=source,
        )

        return integration_metadata

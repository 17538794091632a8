from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.integration_metadata import IntegrationMetadata


T = TypeVar("T", bound="UpdateUserRequest")


@_attrs_define
class UpdateUserRequest:
    """Fields of a user to update; only the fields sent are changed.

    Attributes:
        metadata (IntegrationMetadata): Integration metadata that every request carries; `source` selects the
            integration in which external IDs are looked up. Example: {'source': 'OKTA'}.
        first_name (str | Unset): Updated first name. Example: John.
        last_name (str | Unset): Updated last name. Example: Doe.
        phone (str | Unset): Updated phone number, free text. Example: +1 555-0100.
        position (str | Unset): Updated job position, free text (see `user_position_id` for the position entity).
            Example: Lead Developer.
        department (str | Unset): Updated department, free text. Example: Engineering.
        role_id (int | Unset): Updated COR role ID. The docs type it as `number`; it is an integer role ID, and a role
            that is not a valid COR role is rejected with 400 `InvalidRoleError`. Example: 3.
        daily_hours (float | Unset): Updated daily hours capacity. Example: 8.
        user_position_id (str | Unset): External position ID. The position must have been previously created through the
            integrations API; updates the user's position assignment. Example: external-user-position-2.
        seniority_id (str | Unset): External seniority ID. The seniority must have been previously created through the
            integrations API; updates the user's seniority level. Example: external_seniority_id_20.
    """

    metadata: IntegrationMetadata
    first_name: str | Unset = UNSET
    last_name: str | Unset = UNSET
    phone: str | Unset = UNSET
    position: str | Unset = UNSET
    department: str | Unset = UNSET
    role_id: int | Unset = UNSET
    daily_hours: float | Unset = UNSET
    user_position_id: str | Unset = UNSET
    seniority_id: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        metadata = self.metadata.to_dict()

        first_name = self.first_name

        last_name = self.last_name

        phone = self.phone

        position = self.position

        department = self.department

        role_id = self.role_id

        daily_hours = self.daily_hours

        user_position_id = self.user_position_id

        seniority_id = self.seniority_id

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "metadata": metadata,
            }
        )
        if first_name is not UNSET:
            field_dict["first_name"] = first_name
        if last_name is not UNSET:
            field_dict["last_name"] = last_name
        if phone is not UNSET:
            field_dict["phone"] = phone
        if position is not UNSET:
            field_dict["position"] = position
        if department is not UNSET:
            field_dict["department"] = department
        if role_id is not UNSET:
            field_dict["role_id"] = role_id
        if daily_hours is not UNSET:
            field_dict["daily_hours"] = daily_hours
        if user_position_id is not UNSET:
            field_dict["user_position_id"] = user_position_id
        if seniority_id is not UNSET:
            field_dict["seniority_id"] = seniority_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.integration_metadata import IntegrationMetadata  # noqa: PLC0415

        d = dict(src_dict)
        metadata = IntegrationMetadata.from_dict(d.pop("metadata"))

        first_name = d.pop("first_name", UNSET)

        last_name = d.pop("last_name", UNSET)

        phone = d.pop("phone", UNSET)

        position = d.pop("position", UNSET)

        department = d.pop("department", UNSET)

        role_id = d.pop("role_id", UNSET)

        daily_hours = d.pop("daily_hours", UNSET)

        user_position_id = d.pop("user_position_id", UNSET)

        seniority_id = d.pop("seniority_id", UNSET)

        update_user_request = cls(
            metadata=metadata,
            first_name=first_name,
            last_name=last_name,
            phone=phone,
            position=position,
            department=department,
            role_id=role_id,
            daily_hours=daily_hours,
            user_position_id=user_position_id,
            seniority_id=seniority_id,
        )

        return update_user_request

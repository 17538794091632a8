from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="User")


@_attrs_define
class User:
    """A COR user as returned after an update.

    Attributes:
        id (int): COR's internal user ID. Example: 8546.
        email (str): The user's email address. Example: john.doe@company.com.
        first_name (str): First name. Example: John.
        last_name (str): Last name. Example: Doe.
        phone (None | str): Phone number, free text, or null when none was ever set. Example: +1 555-0100.
        role_id (int): COR role ID. Example: 3.
        daily_hours (float): Daily hours capacity. Example: 8.
        company_id (int): ID of the COR company (tenant) the user belongs to. Example: 1234.
        created_at (datetime.datetime): When the user was created (RFC 3339, UTC). Example: 2025-01-10T14:30:00Z.
        updated_at (datetime.datetime): When the user was last updated (RFC 3339, UTC). Example: 2025-01-15T10:00:00Z.
    """

    id: int
    email: str
    first_name: str
    last_name: str
    phone: None | str
    role_id: int
    daily_hours: float
    company_id: int
    created_at: datetime.datetime
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        email = self.email

        first_name = self.first_name

        last_name = self.last_name

        phone: None | str
        phone = self.phone

        role_id = self.role_id

        daily_hours = self.daily_hours

        company_id = self.company_id

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "email": email,
                "first_name": first_name,
                "last_name": last_name,
                "phone": phone,
                "role_id": role_id,
                "daily_hours": daily_hours,
                "company_id": company_id,
                "created_at": created_at,
                "updated_at": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        email = d.pop("email")

        first_name = d.pop("first_name")

        last_name = d.pop("last_name")

        def _parse_phone(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        phone = _parse_phone(d.pop("phone"))

        role_id = d.pop("role_id")

        daily_hours = d.pop("daily_hours")

        company_id = d.pop("company_id")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        user = cls(
            id=id,
            email=email,
            first_name=first_name,
            last_name=last_name,
            phone=phone,
            role_id=role_id,
            daily_hours=daily_hours,
            company_id=company_id,
            created_at=created_at,
            updated_at=updated_at,
        )

        user.additional_properties = d
        return user

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

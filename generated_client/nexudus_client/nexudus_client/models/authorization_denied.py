from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.authorization_denied_message import AuthorizationDeniedMessage

T = TypeVar("T", bound="AuthorizationDenied")


@_attrs_define
class AuthorizationDenied:
    """The body of every 401.

    Attributes:
        message (AuthorizationDeniedMessage): Always `Authorization has been denied for this request.` Example:
            Authorization has been denied for this request..
    """

    message: AuthorizationDeniedMessage
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        message = self.message.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "Message": message,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        message = AuthorizationDeniedMessage(d.pop("Message"))

        authorization_denied = cls(
            message=message,
        )

        authorization_denied.additional_properties = d
        return authorization_denied

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

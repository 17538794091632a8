from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ValidationError")


@_attrs_define
class ValidationError:
    """One violation of a request.

    Attributes:
        attempted_value (Any): The value sent for the property (any JSON value), null when none was sent (an empty
            string counts as none); long strings are cut to 80 characters and lists or objects are shown as null.
        message (str): What is wrong with the property, such as `is a required field`. Example: is a required field.
        property_name (str): The property at fault, with list indexes in brackets (`Members[2]`). Example: Name.
    """

    attempted_value: Any
    message: str
    property_name: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        attempted_value = self.attempted_value

        message = self.message

        property_name = self.property_name

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "AttemptedValue": attempted_value,
                "Message": message,
                "PropertyName": property_name,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        attempted_value = d.pop("AttemptedValue")

        message = d.pop("Message")

        property_name = d.pop("PropertyName")

        validation_error = cls(
            attempted_value=attempted_value,
            message=message,
            property_name=property_name,
        )

        validation_error.additional_properties = d
        return validation_error

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

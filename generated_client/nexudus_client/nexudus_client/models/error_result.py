from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.validation_error import ValidationError


T = TypeVar("T", bound="ErrorResult")


@_attrs_define
class ErrorResult:
    """The envelope of a refused request (400, and also 405, 413, 415 and 500).

    Attributes:
        message (str): A summary of the validation error(s), in the format `PropertyName: error message`, one line per
            violation; for a request that cannot be read, what is wrong with it. Example: Name: is a required field.
        value (Any): null on validation failure (the docs type it as any JSON value).
        errors (list[ValidationError]): Array of validation errors, one per violation, every violation of the request
            (not just the first). Example: [{'AttemptedValue': None, 'Message': 'is a required field', 'PropertyName':
            'Name'}].
        was_successful (bool): false when the request fails validation. Example: False.
    """

    message: str
    value: Any
    errors: list[ValidationError]
    was_successful: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        message = self.message

        value = self.value

        errors = []
        for errors_item_data in self.errors:
            errors_item = errors_item_data.to_dict()
            errors.append(errors_item)

        was_successful = self.was_successful

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "Message": message,
                "Value": value,
                "Errors": errors,
                "WasSuccessful": was_successful,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.validation_error import ValidationError  # noqa: PLC0415

        d = dict(src_dict)
        message = d.pop("Message")

        value = d.pop("Value")

        errors = []
        _errors = d.pop("Errors")
        for errors_item_data in _errors:
            errors_item = ValidationError.from_dict(errors_item_data)

            errors.append(errors_item)

        was_successful = d.pop("WasSuccessful")

        error_result = cls(
            message=message,
            value=value,
            errors=errors,
            was_successful=was_successful,
        )

        error_result.additional_properties = d
        return error_result

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

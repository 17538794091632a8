from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.updated_record import UpdatedRecord
    from ..models.validation_error import ValidationError


T = TypeVar("T", bound="UpdateResult")


@_attrs_define
class UpdateResult:
    """The envelope of a successful update.

    Attributes:
        status (int): HTTP status code. 200 on success. Example: 200.
        message (str): A human-readable message confirming the update. Example: Workspace was successfully updated..
        value (UpdatedRecord): The record a write changed.
        open_in_dialog (bool): A hint for Nexudus's own web interface; false for API calls. Example: False.
        open_in_window (bool): A hint for Nexudus's own web interface; false for API calls. Example: False.
        redirect_url (None | str): A page for Nexudus's own web interface to open next; null for API calls.
        java_script (None | str): A script for Nexudus's own web interface to run; null for API calls.
        updated_on (datetime.datetime): When the record was updated (RFC 3339, UTC). Example: 2025-01-15T10:30:00Z.
        updated_by (str): Who updated the record (the administrator's email for a Basic credential). Example:
            admin@example.com.
        errors (list[ValidationError] | None): null on success.
        was_successful (bool): true if the workspace was updated successfully. Example: True.
    """

    status: int
    message: str
    value: UpdatedRecord
    open_in_dialog: bool
    open_in_window: bool
    redirect_url: None | str
    java_script: None | str
    updated_on: datetime.datetime
    updated_by: str
    errors: list[ValidationError] | None
    was_successful: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        status = self.status

        message = self.message

        value = self.value.to_dict()

        open_in_dialog = self.open_in_dialog

        open_in_window = self.open_in_window

        redirect_url: None | str
        redirect_url = self.redirect_url

        java_script: None | str
        java_script = self.java_script

        updated_on = self.updated_on.isoformat()

        updated_by = self.updated_by

        errors: list[dict[str, Any]] | None
        if isinstance(self.errors, list):
            errors = []
            for errors_type_0_item_data in self.errors:
                errors_type_0_item = errors_type_0_item_data.to_dict()
                errors.append(errors_type_0_item)

        else:
            errors = self.errors

        was_successful = self.was_successful

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "Status": status,
                "Message": message,
                "Value": value,
                "OpenInDialog": open_in_dialog,
                "OpenInWindow": open_in_window,
                "RedirectURL": redirect_url,
                "JavaScript": java_script,
                "UpdatedOn": updated_on,
                "UpdatedBy": updated_by,
                "Errors": errors,
                "WasSuccessful": was_successful,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.updated_record import UpdatedRecord  # noqa: PLC0415
        from ..models.validation_error import ValidationError  # noqa: PLC0415

        d = dict(src_dict)
        status = d.pop("Status")

        message = d.pop("Message")

        value = UpdatedRecord.from_dict(d.pop("Value"))

        open_in_dialog = d.pop("OpenInDialog")

        open_in_window = d.pop("OpenInWindow")

        def _parse_redirect_url(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        redirect_url = _parse_redirect_url(d.pop("RedirectURL"))

        def _parse_java_script(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        java_script = _parse_java_script(d.pop("JavaScript"))

        updated_on = datetime.datetime.fromisoformat(d.pop("UpdatedOn"))

        updated_by = d.pop("UpdatedBy")

        def _parse_errors(data: object) -> list[ValidationError] | None:
            if data is None:
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                errors_type_0 = []
                _errors_type_0 = data
                for errors_type_0_item_data in _errors_type_0:
                    errors_type_0_item = ValidationError.from_dict(errors_type_0_item_data)

                    errors_type_0.append(errors_type_0_item)

                return errors_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[ValidationError] | None, data)

        errors = _parse_errors(d.pop("Errors"))

        was_successful = d.pop("WasSuccessful")

        update_result = cls(
            status=status,
            message=message,
            value=value,
            open_in_dialog=open_in_dialog,
            open_in_window=open_in_window,
            redirect_url=redirect_url,
            java_script=java_script,
            updated_on=updated_on,
            updated_by=updated_by,
            errors=errors,
            was_successful=was_successful,
        )

        update_result.additional_properties = d
        return update_result

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

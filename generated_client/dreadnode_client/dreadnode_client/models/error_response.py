from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.validation_error_item import ValidationErrorItem


T = TypeVar("T", bound="ErrorResponse")


@_attrs_define
class ErrorResponse:
    """Canonical API error envelope returned by the API, for every error status.

    Example:
        {'code': 401, 'detail': 'Authentication failed', 'type': 'authentication_error'}

    Attributes:
        code (int): HTTP status code. Example: 401.
        detail (str): Human-readable error message. Example: Authentication failed.
        type_ (str): Stable machine-readable error type; one per status: `invalid_request_error` (400),
            `authentication_error` (401), `permission_error` (403), `not_found_error` (404), `method_not_allowed_error`
            (405), `conflict_error` (409), `payload_too_large_error` (413), `unsupported_media_type_error` (415),
            `request_header_fields_too_large_error` (431), `validation_error` (422), `upgrade_required_error` (426),
            `rate_limit_error` (429), `internal_server_error` (500), `bad_gateway_error` (502), `gateway_timeout_error`
            (504). Example: authentication_error.
        errors (list[ValidationErrorItem] | None | Unset): On a validation error (422) only, every violation found in
            the request, not just the first; absent (or null) otherwise. No upper bound. Example: [{'loc': ['body', 'name'],
            'msg': 'String should have at least 1 character', 'type': 'string_too_short'}].
    """

    code: int
    detail: str
    type_: str
    errors: list[ValidationErrorItem] | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        detail = self.detail

        type_ = self.type_

        errors: list[dict[str, Any]] | None | Unset
        if isinstance(self.errors, Unset):
            errors = UNSET
        elif isinstance(self.errors, list):
            errors = []
            for errors_type_0_item_data in self.errors:
                errors_type_0_item = errors_type_0_item_data.to_dict()
                errors.append(errors_type_0_item)

        else:
            errors = self.errors

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "code": code,
                "detail": detail,
                "type": type_,
            }
        )
        if errors is not UNSET:
            field_dict["errors"] = errors

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.validation_error_item import ValidationErrorItem  # noqa: PLC0415

        d = dict(src_dict)
        code = d.pop("code")

        detail = d.pop("detail")

        type_ = d.pop("type")

        def _parse_errors(data: object) -> list[ValidationErrorItem] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                errors_type_0 = []
                _errors_type_0 = data
                for errors_type_0_item_data in _errors_type_0:
                    errors_type_0_item = ValidationErrorItem.from_dict(errors_type_0_item_data)

                    errors_type_0.append(errors_type_0_item)

                return errors_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[ValidationErrorItem] | None | Unset, data)

        errors = _parse_errors(d.pop("errors", UNSET))

        error_response = cls(
            code=code,
            detail=detail,
            type_=type_,
            errors=errors,
        )

        error_response.additional_properties = d
        return error_response

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

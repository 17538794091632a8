from enum import StrEnum


class AuthorizationDeniedMessage(StrEnum):
    AUTHORIZATION_HAS_BEEN_DENIED_FOR_THIS_REQUEST = "Authorization has been denied for this request."

    def __str__(self) -> str:
        return str(self.value)

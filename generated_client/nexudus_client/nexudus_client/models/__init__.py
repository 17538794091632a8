"""Contains all the data models used in inputs/outputs"""

from .authorization_denied import AuthorizationDenied
from .authorization_denied_message import AuthorizationDeniedMessage
from .error_result import ErrorResult
from .not_found import NotFound
from .update_result import UpdateResult
from .update_workspace_request import UpdateWorkspaceRequest
from .updated_record import UpdatedRecord
from .validation_error import ValidationError
from .workspace import Workspace

__all__ = (
    "AuthorizationDenied",
    "AuthorizationDeniedMessage",
    "ErrorResult",
    "NotFound",
    "UpdatedRecord",
    "UpdateResult",
    "UpdateWorkspaceRequest",
    "ValidationError",
    "Workspace",
)

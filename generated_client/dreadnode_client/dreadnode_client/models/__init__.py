"""Contains all the data models used in inputs/outputs"""

from .error_response import ErrorResponse
from .update_workspace_request import UpdateWorkspaceRequest
from .validation_error_item import ValidationErrorItem
from .workspace_response import WorkspaceResponse

__all__ = (
    "ErrorResponse",
    "UpdateWorkspaceRequest",
    "ValidationErrorItem",
    "WorkspaceResponse",
)

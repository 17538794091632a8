"""Contains all the data models used in inputs/outputs"""

from .attach_user_workspaces_request import AttachUserWorkspacesRequest
from .attached_workspace import AttachedWorkspace
from .attached_workspace_metadata import AttachedWorkspaceMetadata
from .error import Error
from .error_detail import ErrorDetail
from .integration_link import IntegrationLink
from .integration_metadata import IntegrationMetadata
from .source import Source
from .update_user_request import UpdateUserRequest
from .update_workspace_request import UpdateWorkspaceRequest
from .user import User
from .user_with_workspaces import UserWithWorkspaces
from .workspace import Workspace
from .workspace_attachment import WorkspaceAttachment
from .workspace_pivot import WorkspacePivot

__all__ = (
    "AttachedWorkspace",
    "AttachedWorkspaceMetadata",
    "AttachUserWorkspacesRequest",
    "Error",
    "ErrorDetail",
    "IntegrationLink",
    "IntegrationMetadata",
    "Source",
    "UpdateUserRequest",
    "UpdateWorkspaceRequest",
    "User",
    "UserWithWorkspaces",
    "Workspace",
    "WorkspaceAttachment",
    "WorkspacePivot",
)

"""Who may do what: "a full unrestricted administrator or [one with] the Workspace-Edit role" (Nexudus's docs).

The role comes from ``--auth-file`` (``role: Workspace-Edit``, several separated by commas). A credential
without a role is a full unrestricted administrator: that is every credential when the mock runs without an
auth file. Nexudus answers a missing role with the same 401 as bad credentials.
"""

from __future__ import annotations

from mock_server.core.auth import Principal
from mock_server.core.errors import Unauthorized

from .errors import DENIED

#: The role that stands for a full unrestricted administrator in an auth file.
ADMINISTRATOR = "Administrator"
#: operationId → the role it needs; reads need none beyond valid credentials.
REQUIRED_ROLES = {"update_workspace": "Workspace-Edit"}


def authorize(principal: Principal, operation_id: str) -> None:
    role = principal.role
    needed = REQUIRED_ROLES.get(operation_id)
    if role is None or needed is None:
        return
    roles = {name.strip() for name in role.split(",")}
    if needed not in roles and ADMINISTRATOR not in roles:
        raise Unauthorized(DENIED)

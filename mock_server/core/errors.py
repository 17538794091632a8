"""Domain errors raised anywhere in the pipeline; each vendor's renderer turns them into its own envelope.

Handlers and core stages never build HTTP error bodies: they raise one of these, and the error handler
picks the renderer of the API whose base path the request is under.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

#: Longest echo of a client value in any error message; longer values are cut, never echoed whole.
MAX_ECHO = 80

Location = tuple[str | int, ...]


def truncate(value: Any, limit: int = MAX_ECHO) -> str:
    """Render a client-supplied value for an error message, cut to at most ``limit`` characters."""
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class Violation:
    """One reason a request is invalid: where (``loc``, starting with body/path/query/header) and why.

    ``kind`` is the JSON Schema keyword that failed (``required``, ``maxLength``...) and ``params`` its
    parameters (``{"limit": 255}``), for renderers that word violations in their vendor's own terms.
    """

    loc: Location
    message: str
    value: Any = None
    kind: str = ""
    params: Mapping[str, Any] = field(default_factory=dict, hash=False)

    @property
    def field(self) -> str:
        """Dotted path inside its location, with list indexes in brackets: ``workspaces[0].percentage``."""
        out = ""
        for part in self.loc[1:]:
            out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
        return out or str(self.loc[0])


@dataclass
class MockError(Exception):
    """Base of every error the mock answers with; ``status`` is the HTTP status it stands for."""

    message: str
    status: int = 500
    headers: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        super().__init__(self.message)


@dataclass
class MalformedRequest(MockError):
    """The request cannot be read at all: bad JSON, bad encoding, limits exceeded, bad path segment."""

    status: int = 400


@dataclass
class ValidationFailed(MockError):
    """The request is readable but breaks the contract; ``violations`` lists every reason."""

    status: int = 400
    violations: list[Violation] = field(default_factory=list)


@dataclass
class Unauthorized(MockError):
    status: int = 401


@dataclass
class Forbidden(MockError):
    status: int = 403


@dataclass
class NotFound(MockError):
    """An entity the request names does not exist; ``entity`` is its kind (``workspace``, ``user``...)."""

    status: int = 404
    entity: str = "resource"
    key: str = ""


@dataclass
class MethodNotAllowed(MockError):
    status: int = 405


@dataclass
class Conflict(MockError):
    status: int = 409


@dataclass
class PayloadTooLarge(MockError):
    status: int = 413


@dataclass
class UnsupportedMediaType(MockError):
    status: int = 415


@dataclass
class HeadersTooLarge(MockError):
    status: int = 431


class ClientDisconnected(Exception):
    """The client went away before its request body was complete: nothing of it is applied, nobody is answered."""


@dataclass
class Throttled(MockError):
    status: int = 429


@dataclass
class InternalError(MockError):
    status: int = 500


@dataclass
class StoreUnavailable(MockError):
    """The shared store cannot be reached (or did not answer in time): the request changed nothing."""

    status: int = 503


@dataclass
class ForcedResponseUnavailable(MockError):
    """``Prefer`` asked for a status or example the operation does not document."""

    status: int = 400

"""A client library for accessing Nexudus Spaces API"""

from .client import AuthenticatedClient, Client, retry_on_throttling

__all__ = (
    "AuthenticatedClient",
    "Client",
    "retry_on_throttling",
)

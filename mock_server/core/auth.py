"""Credentials → tenants.

By default any non-empty bearer token or API key, and any Basic credential of the form ``user:password``,
is accepted, and each distinct credential is its own tenant. With an auth file (YAML mapping credential →
``{tenant, role}``) only the listed credentials are accepted, and the role is handed to the vendor's
``authorize`` hook.

The tenant key is a hash of the credential: the raw secret is never stored, journaled or logged.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from connexion.security import (
    ApiKeySecurityHandler,
    BasicSecurityHandler,
    BearerSecurityHandler,
)

MASK = "***"
#: Headers whose values are secrets: masked in the journal.
SECRET_HEADERS = frozenset({"authorization", "x-api-key", "cookie", "proxy-authorization"})


def tenant_key(secret: str) -> str:
    """Stable, non-reversible name of the tenant of ``secret``."""
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def secret_from_headers(headers: Mapping[str, str]) -> str | None:
    """The credential a request carries, in any scheme the mock knows, or None.

    Used where no spec says which scheme applies (journal, control API); it agrees with the
    per-operation security handlers below on what the secret of a request is.
    """
    authorization = headers.get("authorization", "")
    scheme, _, value = authorization.partition(" ")
    value = value.strip()
    if scheme.lower() == "bearer" and value:
        return value
    if scheme.lower() == "basic" and value:
        return _basic_secret(value)
    api_key = headers.get("x-api-key", "").strip()
    return api_key or None


def _basic_secret(encoded: str) -> str | None:
    try:
        decoded = base64.b64decode(encoded, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    user, sep, password = decoded.partition(":")
    return decoded if sep and user and password else None


@dataclass(frozen=True)
class Principal:
    tenant: str
    name: str
    role: str | None = None


class Authenticator:
    """Decides whether a secret is accepted, and which tenant and role it maps to."""

    def __init__(self, accounts: Mapping[str, Mapping[str, Any]] | None = None) -> None:
        self._accounts = dict(accounts) if accounts is not None else None

    @classmethod
    def from_file(cls, path: Path) -> Authenticator:
        from .fixtures import FixtureError  # the same exit path as a bad fixtures file

        try:
            with path.open(encoding="utf-8") as fh:
                data = yaml.safe_load(fh)
        except (OSError, yaml.YAMLError) as exc:
            raise FixtureError(str(path), "(file)", f"cannot be read as YAML: {exc}") from exc
        if not isinstance(data, dict) or not data:
            raise FixtureError(str(path), "(file)", "must map each credential to {tenant, role}")
        for credential, account in data.items():
            if not isinstance(credential, str) or not credential:
                raise FixtureError(str(path), repr(credential), "credential must be a non-empty string")
            if not isinstance(account, dict) or not isinstance(account.get("tenant", ""), str):
                raise FixtureError(str(path), credential[:4] + MASK, "must be a mapping with tenant and role")
        return cls(data)

    def principal(self, secret: str | None) -> Principal | None:
        if not secret:
            return None
        if self._accounts is None:
            return Principal(tenant_key(secret), _display_name(secret))
        account = self._accounts.get(secret)
        if account is None:
            return None
        tenant = str(account.get("tenant") or tenant_key(secret))
        return Principal(tenant, str(account.get("name", tenant)), account.get("role"))


def _display_name(secret: str) -> str:
    """What a record's ``UpdatedBy`` shows: the user of a Basic credential, else a masked token."""
    user, sep, _ = secret.partition(":")
    return user if sep and "@" in user else f"token-{tenant_key(secret)[:8]}"


def security_map(authenticator: Authenticator) -> dict[str, type]:
    """connexion security handlers that resolve every scheme through ``authenticator``.

    The specs carry no ``x-bearerInfoFunc``: the mock supplies the function here, so the specs stay
    free of Python paths.
    """

    def info(secret: str | None) -> dict[str, Any] | None:
        principal = authenticator.principal(secret)
        if principal is None:
            return None
        return {"sub": principal.tenant, "principal": principal}

    def bearer_info(token: str) -> dict[str, Any] | None:
        return info(token.strip())

    def basic_info(username: str, password: str) -> dict[str, Any] | None:
        return info(f"{username}:{password}" if username and password else None)

    def api_key_info(key: str, required_scopes: Any = None) -> dict[str, Any] | None:
        return info(key.strip())

    def resolver(fn: Callable[..., Any]) -> Callable[[Any, Any], Callable[..., Any]]:
        return lambda self, scheme: fn

    return {
        "bearer": type("Bearer", (BearerSecurityHandler,), {"_resolve_func": resolver(bearer_info)}),
        "basic": type("Basic", (BasicSecurityHandler,), {"_resolve_func": resolver(basic_info)}),
        "apiKey": type("ApiKey", (ApiKeySecurityHandler,), {"_resolve_func": resolver(api_key_info)}),
    }


def mask_headers(headers: Mapping[str, str]) -> dict[str, str]:
    return {name: (MASK if name.lower() in SECRET_HEADERS else value) for name, value in headers.items()}

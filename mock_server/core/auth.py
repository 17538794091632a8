"""Credentials → tenants.

By default any non-empty bearer token or API key, and any Basic credential of the form ``user:password``,
is accepted, and each distinct credential is its own tenant. With an auth file (YAML mapping credential →
``{tenant, role, admin}``) only the listed credentials are accepted, the role is handed to the vendor's
``authorize`` hook, and only ``admin: true`` entries may change state through the control API.

The tenant key is a hash of the credential: the raw secret is never stored, journaled or logged.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import yamlfile
from .errors import Unauthorized
from .yamlfile import FixtureError

MASK = "***"
PRINCIPALS_CACHED = 4096
#: How API docs print a credential to fill in (``Basic <encoded-value>``): accepted as one, so their curl works.
PLACEHOLDER = re.compile(r"<[^<>\s]+>")
#: Headers whose values are secrets: masked in the journal.
SECRET_HEADERS = frozenset({"authorization", "x-api-key", "cookie", "proxy-authorization"})


def tenant_key(secret: str) -> str:
    """Stable, non-reversible name of the tenant of ``secret``."""
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()[:16]


@dataclass(frozen=True)
class Principal:
    """Who is calling. ``admin`` may change state through the control API: every credential without an auth
    file (each owns its tenant), only entries marked ``admin: true`` with one."""

    tenant: str
    name: str
    role: str | None = None
    admin: bool = True


#: The principal of operations that need no credentials.
ANONYMOUS = Principal(tenant="anonymous", name="anonymous")


class Authenticator:
    """Decides whether a secret is accepted, and which tenant and role it maps to."""

    def __init__(self, accounts: Mapping[str, Mapping[str, Any]] | None = None) -> None:
        self._accounts = dict(accounts) if accounts is not None else None
        # A credential's principal never changes: hash each secret once, not on every request.
        self.principal = functools.lru_cache(maxsize=PRINCIPALS_CACHED)(self._principal)

    @classmethod
    def from_file(cls, path: Path) -> Authenticator:
        """Read and check an auth file; raises :class:`FixtureError` (exit status 2) naming what is wrong."""
        data = yamlfile.load_file(path, FixtureError)
        if not isinstance(data, dict) or not data:
            raise FixtureError(str(path), "(file)", "must map each credential to {tenant, role, admin}")
        for credential, account in data.items():
            if not isinstance(credential, str) or not credential:
                raise FixtureError(str(path), "(entry)", "credential must be a non-empty string")
            where = credential[:4] + MASK
            if credential != credential.strip():
                raise FixtureError(str(path), where, "credential has surrounding whitespace, which no header can carry")
            if not isinstance(account, dict):
                raise FixtureError(str(path), where, "must be a mapping with tenant, role and admin")
            for key, kind in (("tenant", str), ("name", str), ("role", str), ("admin", bool)):
                if key in account and account[key] is not None and not isinstance(account[key], kind):
                    raise FixtureError(str(path), f"{where}.{key}", f"must be a {kind.__name__}")
        return cls(data)

    def _principal(self, secret: str | None) -> Principal | None:
        if not secret:
            return None
        if self._accounts is None:
            return Principal(tenant_key(secret), _display_name(secret))
        account = self._accounts.get(secret)
        if account is None:
            return None
        tenant = str(account.get("tenant") or tenant_key(secret))
        name = str(account.get("name") or _email_user(secret) or tenant)
        return Principal(tenant, name, account.get("role"), admin=account.get("admin") is True)


def _display_name(secret: str) -> str:
    """What a record's ``UpdatedBy`` shows: the user of a Basic credential, else a masked token."""
    return _email_user(secret) or f"token-{tenant_key(secret)[:8]}"


def _email_user(secret: str) -> str | None:
    """The user of a Basic ``email:password`` credential; None for anything else, which may be a secret."""
    user, sep, _ = secret.partition(":")
    return user if sep and "@" in user else None


def authenticate(
    authenticator: Authenticator, headers: Mapping[str, str], requirements: Sequence[Sequence[Mapping[str, Any]]]
) -> Principal:
    """The principal of a request under an operation's security requirements (OpenAPI's OR of ANDs).

    Bearer and API-key credentials are taken as sent; Basic must decode to ``user:password``, or be the docs'
    placeholder (``Basic <encoded-value>``). Raises :class:`Unauthorized` when no alternative is satisfied.
    """
    if not requirements:
        return ANONYMOUS
    for requirement in requirements:
        principals = [_credential(authenticator, headers, scheme) for scheme in requirement]
        if principals and all(p is not None for p in principals):
            return principals[0]  # type: ignore[return-value]
    raise Unauthorized("missing or invalid credentials")


def _credential(
    authenticator: Authenticator, headers: Mapping[str, str], scheme: Mapping[str, Any]
) -> Principal | None:
    kind = scheme.get("type")
    if kind == "apiKey" and scheme.get("in") == "header":
        return authenticator.principal(headers.get(str(scheme["name"]).lower(), "").strip())
    if kind != "http":
        return None
    auth_scheme, _, value = headers.get("authorization", "").strip().partition(" ")
    value = value.strip()
    if auth_scheme.lower() != str(scheme.get("scheme", "")).lower() or not value:
        return None
    if auth_scheme.lower() == "bearer":
        return authenticator.principal(value)
    if auth_scheme.lower() == "basic":
        if PLACEHOLDER.fullmatch(value):
            return authenticator.principal(value)
        try:
            user, sep, password = base64.b64decode(value, validate=True).decode("utf-8").partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return None
        return authenticator.principal(f"{user}:{password}" if sep and user and password else None)
    return None


def mask_headers(headers: Mapping[str, str]) -> dict[str, str]:
    return {name: (MASK if name.lower() in SECRET_HEADERS else value) for name, value in headers.items()}

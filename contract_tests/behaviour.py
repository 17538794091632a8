"""What the shared behaviour tests need to know of each vendor: one record, how to write it, how to read it back.

Values come from each vendor's ``fixtures.yaml`` so that a fixture change cannot leave these tests asserting
against a copy of it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
from openapi_schema_validator import OAS30Validator, oas30_format_checker

from .conftest import REPO, SPEC_DIR, load_yaml
from .roundtrip import operations
from .spec_tools import dereference

#: Both stores, as conftest parametrises the vendor state modules.
STORES = ("memory", "redis")


def fixtures(api: str) -> dict[str, Any]:
    data: dict[str, Any] = load_yaml(REPO / f"mock_server/{api}/fixtures.yaml")[api]
    return data


@dataclass(frozen=True)
class VendorCase:
    """One vendor's record as the shared behaviours use it.

    ``write`` is what tenant A sends to ``write_path``; ``read`` reads the record back at ``path`` for a tenant
    and answers it, ``field`` being the value the write changes from ``pristine`` to ``written``. ``stored``
    answers what the write would change in a tenant's ``/__mock__/state``, ``stored_pristine`` before it.
    ``moved_to`` is where a write moves the record (a rename), so that the other tenant can be checked not to
    find it there. Two credential styles per vendor, so that isolation holds across the schemes it accepts.
    """

    api: str
    write_path: str
    path: str
    write: dict[str, Any]
    field: str
    pristine: Any
    written: Any
    read: Callable[[httpx.Client, str], httpx.Response]
    stored: Callable[[dict[str, Any]], Any]
    stored_pristine: Any
    headers_a: dict[str, str]
    headers_b: dict[str, str]
    #: Credentials the vendor refuses (by id), the requests refused, and the vendor's own check of the 401.
    bad_credentials: dict[str, dict[str, str]]
    guarded: tuple[str, ...]
    denied: Callable[[httpx.Response, str], None]
    moved_to: str | None = None


def _cor_read(client: httpx.Client, path: str) -> httpx.Response:
    # COR has no GET: a PUT that sends only the metadata changes no field and answers the record.
    return client.put(path, json={"metadata": {"source": "MICROSOFT_TEAMS"}})


def _get(client: httpx.Client, path: str) -> httpx.Response:
    return client.get(path)


def _cor_denied(response: httpx.Response, method: str) -> None:
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["name"] == "UnauthorizedError"


def _nexudus_denied(response: httpx.Response, method: str) -> None:
    assert response.json() == {"Message": "Authorization has been denied for this request."}
    assert {"Bearer", "Basic"} <= set(response.headers["WWW-Authenticate"].replace(",", " ").split())


_DREADNODE_OPERATIONS = operations(dereference(load_yaml(SPEC_DIR / "dreadnode.yaml")))


def _dreadnode_denied(response: httpx.Response, method: str) -> None:
    _, _, operation = _DREADNODE_OPERATIONS["get_workspace" if method == "GET" else "update_workspace"]
    body = response.json()
    schema = operation["responses"]["401"]["content"]["application/json"]["schema"]
    OAS30Validator(schema, format_checker=oas30_format_checker).validate(body)
    assert (body["code"], body["type"]) == (401, "authentication_error"), body
    assert body["detail"] == "Authentication failed"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


#: What every vendor refuses; each adds the malformed forms of its other schemes.
_REFUSED = {"missing": {}, "empty-bearer": {"Authorization": "Bearer"}, "other-scheme": {"Authorization": "Token abc"}}

_COR = fixtures("cor")["workspaces"]["MICROSOFT_TEAMS"]["TEAMS-WS-12345"]
_NEXUDUS = fixtures("nexudus")["workspaces"]["123"]
_DREADNODE = fixtures("dreadnode")["organizations"]["example"]["workspaces"]
#: A Dreadnode workspace's key is its key in the fixtures, not a field of the record.
_DREADNODE_KEY = "example"
assert _DREADNODE_KEY in _DREADNODE

CASES = [
    VendorCase(
        api="cor",
        write_path="/v2/integrations/workspaces/TEAMS-WS-12345",
        path="/v2/integrations/workspaces/TEAMS-WS-12345",
        write={"metadata": {"source": "MICROSOFT_TEAMS"}, "name": "Tenant A's name"},
        field="name",
        pristine=_COR["name"],
        written="Tenant A's name",
        read=_cor_read,
        stored=lambda state: state["cor"]["workspaces"]["MICROSOFT_TEAMS"]["TEAMS-WS-12345"]["name"],
        stored_pristine=_COR["name"],
        headers_a={"Authorization": "Bearer isolation-a"},
        headers_b={"Authorization": "Bearer isolation-b"},
        bad_credentials=_REFUSED,
        # COR documents no GET.
        guarded=("PUT",),
        denied=_cor_denied,
    ),
    VendorCase(
        api="nexudus",
        write_path="/api/collaboration/workspaces",
        path="/api/collaboration/workspaces/123",
        write={**{key: _NEXUDUS[key] for key in ("Id", "BusinessId", "AdministratorId")}, "Name": "Tenant A's name"},
        field="Name",
        pristine=_NEXUDUS["Name"],
        written="Tenant A's name",
        read=_get,
        stored=lambda state: state["nexudus"]["workspaces"]["123"]["Name"],
        stored_pristine=_NEXUDUS["Name"],
        headers_a={"Authorization": "Bearer nexudus-iso-a"},
        headers_b={"Authorization": "Basic YkBleGFtcGxlLmNvbTpwdw=="},
        bad_credentials={
            **_REFUSED,
            "empty-basic": {"Authorization": "Basic"},
            "not-base64": {"Authorization": "Basic !!not-base64!!"},
            # admin@example.com with no password.
            "no-password": {"Authorization": "Basic YWRtaW5AZXhhbXBsZS5jb206"},
        },
        guarded=("PUT", "GET"),
        denied=_nexudus_denied,
    ),
    VendorCase(
        api="dreadnode",
        write_path=f"/api/v1/org/example/ws/{_DREADNODE_KEY}",
        path=f"/api/v1/org/example/ws/{_DREADNODE_KEY}",
        write={"key": "only-in-a"},
        field="key",
        pristine=_DREADNODE_KEY,
        written="only-in-a",
        read=_get,
        stored=lambda state: sorted(state["dreadnode"]["organizations"]["example"]["workspaces"]),
        stored_pristine=sorted(_DREADNODE),
        headers_a={"Authorization": "Bearer dreadnode-a"},
        headers_b={"X-API-Key": "dreadnode-b"},
        bad_credentials={**_REFUSED, "empty-api-key": {"X-API-Key": ""}},
        guarded=("PUT", "GET"),
        denied=_dreadnode_denied,
        moved_to="/api/v1/org/example/ws/only-in-a",
    ),
]

"""Behaviours every vendor of the mock shares, run once per vendor and per store, over real HTTP."""

from __future__ import annotations

import httpx
import pytest

from .behaviour import CASES, STORES, VendorCase
from .server import MockProcess


@pytest.fixture(scope="session", params=STORES)
def store_kind(request: pytest.FixtureRequest) -> str:
    # conftest parametrises the store only for the modules it lists; these tests held state checks of the vendor
    # modules, which ran on both stores, so they keep doing so here.
    kind: str = request.param
    return kind


@pytest.mark.parametrize("case", CASES, ids=[case.api for case in CASES])
def test_tenants_never_see_each_others_writes(mock_server: MockProcess, case: VendorCase) -> None:
    with (
        httpx.Client(base_url=mock_server.url, headers=case.headers_a, timeout=10) as a,
        httpx.Client(base_url=mock_server.url, headers=case.headers_b, timeout=10) as b,
    ):
        assert a.post("/__mock__/reset").status_code < 300
        assert b.post("/__mock__/reset").status_code < 300
        assert a.put(case.write_path, json=case.write).status_code == 200
        for_b = case.read(b, case.path)
        assert for_b.status_code == 200, for_b.text
        assert for_b.json()[case.field] == case.pristine
        assert case.stored(b.get("/__mock__/state").json()) == case.stored_pristine
        if case.moved_to is not None:
            assert b.get(case.moved_to).status_code == 404
        for_a = case.read(a, case.moved_to or case.path)
        assert for_a.status_code == 200, for_a.text
        assert for_a.json()[case.field] == case.written


REFUSALS = [(case, name, headers) for case in CASES for name, headers in case.bad_credentials.items()]


@pytest.mark.parametrize(
    ("case", "credential", "headers"), REFUSALS, ids=[f"{case.api}-{name}" for case, name, _ in REFUSALS]
)
def test_bad_credentials_are_401_with_www_authenticate_and_the_vendors_body(
    mock_server: MockProcess, case: VendorCase, credential: str, headers: dict[str, str]
) -> None:
    for method in case.guarded:
        path = case.write_path if method == "PUT" else case.path
        response = httpx.request(method, mock_server.url + path, json=case.write, headers=headers, timeout=10)
        assert response.status_code == 401, (method, response.text)
        assert "Bearer" in response.headers["WWW-Authenticate"].replace(",", " ").split()
        case.denied(response, method)

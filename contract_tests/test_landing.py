"""``GET /`` lists every API with its base URL, spec and Swagger UI; the start-up prints the same URLs."""

from __future__ import annotations

import time

import httpx
import pytest

from mock_server.landing import wants_json
from mock_server.registry import VENDORS

from .contract import control_base_path
from .server import MockProcess

BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def test_json_for_accept_json_lists_each_api_and_every_url_it_gives_answers(mock_server: MockProcess) -> None:
    response = httpx.get(mock_server.url + "/", headers={"Accept": "application/json"}, timeout=10)

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    document = response.json()
    apis = {api["name"]: api for api in document["apis"]}
    assert sorted(apis) == sorted(VENDORS)
    for name, vendor in VENDORS.items():
        api = apis[name]
        assert api["title"] == vendor.spec["info"]["title"]
        assert api["version"] == vendor.spec["info"]["version"]
        assert api["base_url"] == mock_server.url + vendor.base_path
        spec = httpx.get(api["spec"], timeout=10)
        assert spec.status_code == 200 and spec.json()["info"]["title"] == api["title"]
        docs = httpx.get(api["swagger_ui"], timeout=10)
        assert docs.status_code == 200 and "swagger-ui" in docs.text
    control = document["control"]
    assert control["base_url"] == mock_server.url + control_base_path()
    assert httpx.get(control["health"], timeout=10).json()["status"] == "ok"
    assert httpx.get(control["spec"], timeout=10).json()["info"]["title"] == control["title"]
    console = httpx.get(control["console"], timeout=10)
    assert console.status_code == 200 and "<title>Mock console</title>" in console.text


def test_html_for_a_browser_links_every_api(mock_server: MockProcess) -> None:
    response = httpx.get(mock_server.url + "/", headers={"Accept": BROWSER_ACCEPT}, timeout=10)

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.headers["vary"] == "Accept"
    for vendor in VENDORS.values():
        base = mock_server.url + vendor.base_path
        assert vendor.spec["info"]["title"] in response.text
        for url in (base, base + "/openapi.json", base + "/ui/"):
            assert f'href="{url}"' in response.text
    assert f'href="{mock_server.url}/__mock__/health"' in response.text
    assert f'href="{mock_server.url}/__mock__/console"' in response.text


def test_a_host_header_that_is_not_a_host_is_not_echoed(mock_server: MockProcess) -> None:
    hostile = 'x"><script>alert(1)</script>'
    response = httpx.get(mock_server.url + "/", headers={"Host": hostile}, timeout=10)

    assert response.status_code == 200
    assert "<script>" not in response.text
    assert f'href="{mock_server.url}/__mock__/health"' in response.text


def test_only_get_and_head_of_the_root_are_the_landing_page(mock_server: MockProcess) -> None:
    head = httpx.head(mock_server.url + "/", timeout=10)
    assert head.status_code == 200 and head.content == b""
    assert httpx.post(mock_server.url + "/", timeout=10).status_code != 200
    assert httpx.get(mock_server.url + "/index.html", timeout=10).status_code == 404


def test_start_up_prints_the_landing_page_and_each_api_url() -> None:
    server = MockProcess()
    try:
        # Printed right after uvicorn's "running on" line, which is what marks the process as started.
        deadline = time.monotonic() + 10
        while "Mock control API" not in "".join(server.output) and time.monotonic() < deadline:
            time.sleep(0.05)
        printed = "".join(server.output)
    finally:
        server.stop()
    assert f"Landing page: {server.url}/" in printed
    assert f"Console: {server.url}/__mock__/console" in printed
    for vendor in VENDORS.values():
        line = next(line for line in printed.splitlines() if vendor.spec["info"]["title"] in line)
        assert f"{server.url}{vendor.base_path}  (Swagger UI {server.url}{vendor.base_path}/ui/)" in line


@pytest.mark.parametrize(
    ("accept", "json"),
    [
        ("application/json", True),
        ("application/json, text/html;q=0.5", True),
        ("text/html, application/json;q=0.9", False),
        (BROWSER_ACCEPT, False),
        ("*/*", False),
        ("", False),
        ("application/*", True),
        ("text/html;q=oops, application/json", True),
    ],
)
def test_content_negotiation(accept: str, json: bool) -> None:
    assert wants_json(accept) is json

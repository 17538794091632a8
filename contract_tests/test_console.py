"""The browser console (``GET /__mock__/console``), in a real headless Chromium against a real mock.

The browser is Debian's ``chromium`` (``make test`` installs it as root), driven through Playwright's Python
package with ``executable_path``: Playwright never downloads a browser of its own here. Without Chromium or
Playwright the browser tests are skipped with the reason; the checks of the page as served run anyway.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from .browser import CHROMIUM, CHROMIUM_FLAGS
from .conftest import REPO
from .contract import REPORTS
from .server import MockProcess

AXE = REPO / "node_modules/axe-core/axe.min.js"
CONSOLE = "/__mock__/console"
PAGE_BUDGET = 100 * 1024
COR_WORKSPACE = "/v2/integrations/workspaces/TEAMS-WS-12345"
NEXUDUS_WORKSPACE = "/api/collaboration/workspaces"
DREADNODE_WORKSPACE = "/api/v1/org/example/ws/example"
TEAMS = {"source": "MICROSOFT_TEAMS"}
DESKTOP: ViewportSize = {"width": 1400, "height": 1000}
PHONE: ViewportSize = {"width": 390, "height": 844}

try:
    from playwright.sync_api import (
        BrowserContext,
        Page,
        Playwright,
        Request,
        ViewportSize,
        expect,
        sync_playwright,
    )
except ImportError:  # pragma: no cover - the dev extra installs it
    sync_playwright = None  # type: ignore[assignment]


def _skip_reason() -> str | None:
    if sync_playwright is None:
        return "the playwright package is not installed (make install installs it)"
    if CHROMIUM is None:
        return "no Chromium on this machine: install Debian's chromium (make test does it as root)"
    return None


needs_browser = pytest.mark.skipif(_skip_reason() is not None, reason=_skip_reason() or "")


# -- the page as served (no browser needed) ---------------------------------------------------------------------------


def test_the_console_is_one_small_page_that_needs_no_credential_and_loads_nothing_else(
    mock_server: MockProcess,
) -> None:
    response = httpx.get(mock_server.url + CONSOLE, timeout=10)

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert len(response.content) < PAGE_BUDGET, f"the page weighs {len(response.content)} bytes"
    policy = response.headers["content-security-policy"]
    assert policy.startswith("default-src 'none'; ") and "connect-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    html = response.text
    # Nothing from elsewhere: every src and href is the page's own, a fragment, or the data: favicon.
    links = re.findall(r"""(?:src|href)\s*=\s*["']([^"']*)["']""", html)
    assert all(link.startswith(("#", "data:")) for link in links), links
    assert "http://" not in html and "https://" not in html


def test_a_handler_may_answer_a_document_of_its_own_type(mock_server: MockProcess) -> None:
    # The same operation with Prefer still answers its documented JSON example: only the page itself is HTML.
    forced = httpx.get(mock_server.url + CONSOLE, headers={"Prefer": "code=500"}, timeout=10)
    assert forced.status_code == 500
    assert forced.headers["content-type"] == "application/json"
    assert forced.json()["status"] == 500


# -- in the browser ---------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    reason = _skip_reason()
    if reason is not None:
        pytest.skip(reason)
    with sync_playwright() as driver:
        yield driver


@pytest.fixture
def context(playwright: Playwright, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[BrowserContext]:
    """A headless Chromium with a fresh profile, which enforces the page's Content-Security-Policy.

    Parametrised indirectly with True, it lets a test inject a script of its own (axe-core) despite the policy.
    """
    browser = playwright.chromium.launch_persistent_context(
        str(tmp_path / "profile"),
        executable_path=CHROMIUM,
        headless=True,
        args=CHROMIUM_FLAGS,
        viewport=DESKTOP,
        bypass_csp=getattr(request, "param", False),
        locale="en-GB",
        timezone_id="UTC",
    )
    browser.set_default_timeout(10_000)
    yield browser
    browser.close()


@pytest.fixture
def page(context: BrowserContext) -> Iterator[Page]:
    page = context.pages[0] if context.pages else context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    yield page
    # Chromium logs every refused call; a 401 or 403 is what some tests ask for, and the page shows it.
    errors = [e for e in errors if not re.match(r"Failed to load resource: .* status of 40[13] ", e)]
    assert errors == [], f"the page logged errors: {errors}"


def _send(base_url: str, token: str) -> dict[str, httpx.Response]:
    """One request of each kind, oldest first: accepted, refused by each vendor, and forced with Prefer."""
    name = f"Console {uuid.uuid4().hex[:8]}"
    with httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {token}"}, timeout=10) as api:
        return {
            "valid": api.put(COR_WORKSPACE, json={"metadata": TEAMS, "name": name}),
            "cor": api.put(COR_WORKSPACE, json={"metadata": {"source": "SLACK"}, "active": "yes", "color": "blue"}),
            "nexudus": api.put(NEXUDUS_WORKSPACE, json={"Id": 123, "BusinessId": 1, "AdministratorId": 1, "Name": ""}),
            "dreadnode": api.put(DREADNODE_WORKSPACE, json={"name": "", "unknown": True}),
            "forced": api.put(COR_WORKSPACE, json={"metadata": TEAMS, "name": name}, headers={"Prefer": "code=429"}),
        }


def _open(page: Page, base_url: str, token: str, rows: int) -> None:
    """The console for ``token``'s tenant, once it shows the journal's ``rows`` and the state."""
    page.goto(f"{base_url}{CONSOLE}#token={token}")
    expect(page.locator("#journal li")).to_have_count(rows)
    expect(page.locator("#state details").first).to_be_visible()


def _row(page: Page, index: int) -> Any:
    return page.locator("#journal li button").nth(index)


def _expected_violations(kind: str, body: Any) -> list[list[str]]:
    """For each violation in a vendor's error body, the pieces of text the console must show for it."""
    if kind == "cor":
        return [[error["message"]] for error in body["errors"]]
    if kind == "nexudus":
        return [[error["PropertyName"], error["Message"]] for error in body["Errors"]]
    return [[str(error["loc"][-1]), error["msg"]] for error in body["errors"]]


@needs_browser
def test_the_console_lists_explains_filters_updates_and_resets(
    mock_server: MockProcess, page: Page, token: str
) -> None:
    sent = _send(mock_server.url, token)
    assert [r.status_code for r in sent.values()] == [200, 400, 400, 422, 429]
    _open(page, mock_server.url, token, rows=5)

    # Newest first, each with its API, method, path and status.
    for index, (kind, api, path) in enumerate(
        [
            ("forced", "cor", COR_WORKSPACE),
            ("dreadnode", "dreadnode", DREADNODE_WORKSPACE),
            ("nexudus", "nexudus", NEXUDUS_WORKSPACE),
            ("cor", "cor", COR_WORKSPACE),
            ("valid", "cor", COR_WORKSPACE),
        ]
    ):
        row = _row(page, index)
        expect(row.locator(".api")).to_have_text(api)
        expect(row.locator(".method")).to_have_text("PUT")
        expect(row.locator(".path")).to_have_text(path)
        expect(row.locator(".status")).to_contain_text(str(sent[kind].status_code))
        expect(row.locator(".duration")).to_have_text(re.compile(r"^\d+(\.\d)? ms$"))
        expect(row.locator("time")).to_have_text(re.compile(r"^\d\d:\d\d:\d\d\.\d{3}$"))

    # Each refused request, opened, says why in the vendor's own words.
    for index, kind in ((1, "dreadnode"), (2, "nexudus"), (3, "cor")):
        _row(page, index).click()
        expect(page.locator("#detail-heading")).to_be_focused()
        expect(page.locator(".refused h3")).to_have_text("Why it was refused")
        items = page.locator(".violations li")
        expected = _expected_violations(kind, sent[kind].json())
        expect(items).to_have_count(len(expected))
        for pieces, text in zip(expected, items.all_inner_texts(), strict=True):
            assert all(piece in text for piece in pieces), (kind, pieces, text)
    detail = page.locator("#detail")
    expect(detail.locator("table.headers")).to_contain_text("authorization***")
    expect(detail.locator("pre.body").first).to_contain_text('"source": "SLACK"')
    expect(detail.locator("pre.body").nth(1)).to_contain_text('"name": "ValidationError"')
    REPORTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=REPORTS / "console.png")

    # A forced answer is marked as forced; a valid one has no refusal.
    _row(page, 0).click()
    expect(page.locator(".refused h3")).to_have_text("Forced answer")
    expect(page.locator(".facts")).to_contain_text("Prefer: code=429")
    _row(page, 4).click()
    expect(page.locator(".refused")).to_have_count(0)

    # Live: a request sent now shows up on top without reloading.
    with httpx.Client(base_url=mock_server.url, headers={"Authorization": f"Bearer {token}"}) as http:
        http.get("/api/collaboration/workspaces/87654321")
    expect(page.locator("#journal li")).to_have_count(6)
    expect(_row(page, 0).locator(".path")).to_have_text("/api/collaboration/workspaces/87654321")

    # Filters: by API, by status class, by path, and together.
    visible = page.locator("#journal li:not([hidden])")
    page.get_by_label("API", exact=True).select_option("nexudus")
    expect(visible).to_have_count(2)
    page.get_by_label("Status").select_option("4")
    expect(visible).to_have_count(1)
    expect(page.locator("#count")).to_have_text("1 of 6 requests shown")
    page.get_by_label("API", exact=True).select_option("")
    expect(visible).to_have_count(4)
    page.get_by_label("Path contains").fill("/org/example/")
    expect(visible).to_have_count(1)
    expect(visible.locator(".api")).to_have_text("dreadnode")
    page.get_by_label("Status").select_option("")
    page.get_by_label("Path contains").fill("")
    expect(visible).to_have_count(6)

    # The state tree holds the accepted write; reset puts the defaults back, in the tree and in the mock.
    written = sent["valid"].json()["name"]
    default = httpx.get(mock_server.url + "/__mock__/state", headers={"Authorization": "Bearer console-bystander"})
    default_name = default.json()["cor"]["workspaces"]["MICROSOFT_TEAMS"]["TEAMS-WS-12345"]["name"]
    workspace = ["cor", "workspaces", "MICROSOFT_TEAMS", "TEAMS-WS-12345"]
    for depth in range(2, len(workspace) + 1):
        path = json.dumps(workspace[:depth], separators=(",", ":"))
        page.locator(f"details[data-path='{path}'] > summary").click()
    state = page.locator("#state")
    expect(state).to_contain_text(f'name: "{written}"')
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Reset tenant").click()
    expect(page.locator("#notice")).to_have_text("The tenant's state is back to the default fixtures.")
    expect(state).to_contain_text(f"name: {json.dumps(default_name)}")  # the open branches stay open
    mine = httpx.get(mock_server.url + "/__mock__/state", headers={"Authorization": f"Bearer {token}"})
    assert mine.json()["cor"]["workspaces"]["MICROSOFT_TEAMS"]["TEAMS-WS-12345"]["name"] == default_name

    # Clearing the journal empties the list and the mock's journal.
    page.get_by_role("button", name="Clear journal").click()
    expect(page.locator("#journal li")).to_have_count(0)
    expect(page.locator("#empty")).to_be_visible()
    journal = httpx.get(mock_server.url + "/__mock__/requests", headers={"Authorization": f"Bearer {token}"})
    assert journal.json()["requests"] == []


@needs_browser
def test_the_credential_leaves_the_page_only_in_the_authorization_header(
    mock_server: MockProcess, context: BrowserContext, page: Page
) -> None:
    secret = f"secret-{uuid.uuid4()}"
    typed = f"typed-{uuid.uuid4()}"
    requests: list[Request] = []
    context.on("request", lambda request: requests.append(request))
    _send(mock_server.url, secret)
    _open(page, mock_server.url, secret, rows=5)

    assert page.url == mock_server.url + CONSOLE, "the fragment is taken out of the address bar"
    _row(page, 3).click()
    page.get_by_label("Status").select_option("4")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Reset tenant").click()
    expect(page.locator("#notice")).to_contain_text("default fixtures")
    page.get_by_role("button", name="Clear journal").click()
    expect(page.locator("#journal li")).to_have_count(0)
    # A credential typed on the page takes the same way.
    page.get_by_role("button", name="Forget credential").click()
    page.get_by_label("Credential").fill(typed)
    page.get_by_role("button", name="Open tenant").click()
    expect(page.locator("#count")).to_have_text("0 requests")
    expect(page.locator("#state details").first).to_be_visible()

    for credential in (secret, typed):
        assert credential not in page.content()
        assert credential not in page.url
        assert page.evaluate("JSON.stringify(localStorage) + document.cookie") == "{}"
    assert typed in page.evaluate("sessionStorage.getItem('mock-console.credential')")
    assert secret not in page.evaluate("sessionStorage.getItem('mock-console.credential')")

    calls = 0
    for request in requests:
        headers = request.all_headers()
        where = f"{request.method} {request.url}"
        for credential in (secret, typed):
            assert credential not in request.url, where
            assert credential not in (request.post_data or ""), where
            assert all(credential not in value for name, value in headers.items() if name != "authorization"), where
        if request.url.endswith(CONSOLE) or request.url.endswith("/__mock__/health"):
            assert "authorization" not in headers, where
        else:
            assert headers.get("authorization") in (f"Bearer {secret}", f"Bearer {typed}"), where
            calls += 1
    assert calls >= 6, "the journal, state, reset and clear calls all went out"
    assert {re.sub(r"\?.*", "", r.url).rsplit("/", 1)[-1] for r in requests} >= {"requests", "state", "reset"}
    # Nor in the mock's log.
    assert not any(secret in line or typed in line for line in mock_server.output)


@needs_browser
def test_the_page_weighs_under_100_kb_and_fetches_only_the_control_apis_data(
    mock_server: MockProcess, context: BrowserContext, page: Page, token: str
) -> None:
    """The figures go to ``reports/console.json``; the load time is ``make bench``'s to judge (bench/console.py)."""
    _send(mock_server.url, token)
    loaded: list[Request] = []
    context.on("requestfinished", lambda request: loaded.append(request))
    _open(page, mock_server.url, token, rows=5)
    expect(page.locator("#state details").first).to_be_visible()
    timing = page.evaluate(
        """() => {
            const nav = performance.getEntriesByType("navigation")[0];
            return {load_ms: nav.loadEventEnd, page_bytes: nav.encodedBodySize, rows_ms: performance.now()};
        }"""
    )
    others = [r.url for r in loaded if not re.search(r"/__mock__/(console|health|requests|state)(\?|$)", r.url)]
    figures = {**timing, "requests": [re.sub(r"\?.*", "", r.url.replace(mock_server.url, "")) for r in loaded]}
    REPORTS.mkdir(parents=True, exist_ok=True)
    (REPORTS / "console.json").write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")

    assert others == [], "the page loads nothing but itself and the control API's data"
    assert 0 < timing["page_bytes"] < PAGE_BUDGET, figures
    assert timing["load_ms"] > 0, figures  # the page finished loading


@needs_browser
@pytest.mark.parametrize("context", [True], indirect=True, ids=["axe"])
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_console_passes_axe_and_fits_a_phone(
    mock_server: MockProcess, page: Page, token: str, viewport: ViewportSize
) -> None:
    if not AXE.exists():
        pytest.skip("axe-core is not installed (make install installs node_modules)")
    _send(mock_server.url, token)
    page.set_viewport_size(viewport)
    _open(page, mock_server.url, token, rows=5)
    # Keyboard only: tab to the list, move down with the arrow keys, open with Enter, back with Escape.
    _row(page, 0).focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(_row(page, 3)).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#detail-heading")).to_be_focused()
    expect(page.locator(".violations li")).to_have_count(3)
    page.keyboard.press("Escape")
    expect(_row(page, 3)).to_be_focused()

    page.add_script_tag(path=AXE)
    result = page.evaluate("axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']})")
    problems = [f"{v['id']}: {v['help']} ({[n['target'] for n in v['nodes']][:3]})" for v in result["violations"]]
    assert problems == [], "\n".join(problems)
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], "no sideways scrolling"
    if viewport == PHONE:
        REPORTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=REPORTS / "console-phone.png", full_page=True)


@needs_browser
def test_a_credential_that_may_not_reset_is_told_so(page: Page, tmp_path: Path) -> None:
    auth = tmp_path / "auth.yaml"
    auth.write_text("viewer-token: {tenant: team, admin: false}\n", encoding="utf-8")
    with MockProcess(["--auth-file", str(auth)]) as strict:
        _open(page, strict.url, "viewer-token", rows=0)
        page.once("dialog", lambda dialog: dialog.accept())
        page.get_by_role("button", name="Reset tenant").click()
        alert = page.get_by_role("alert")
        expect(alert).to_contain_text("Reset tenant refused")
        expect(alert).to_contain_text("403 Forbidden")
        expect(alert).to_contain_text("admin: true")
        page.get_by_role("button", name="Clear journal").click()
        expect(alert).to_contain_text("Clear journal refused")
        # Reading is still allowed.
        expect(page.locator("#state details").first).to_be_visible()
        # An unknown credential is refused, and the page says that too.
        page.get_by_role("button", name="Forget credential").click()
        page.get_by_label("Credential").fill("nobody")
        page.get_by_role("button", name="Open tenant").click()
        expect(alert).to_contain_text("401")

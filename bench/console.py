"""The browser console's load time: Debian's Chromium, headless, opening ``/__mock__/console`` on a fresh mock.

Each run opens the console for a tenant with a few journaled requests and reads the navigation timing
(``loadEventEnd``) once the journal and the state are shown. The budget is one second; the page's weight is the
tests' to check (it does not depend on the machine). Without Chromium or Playwright the measurement is skipped
with the reason, and the benchmark goes on.
"""

from __future__ import annotations

import statistics
from typing import Any

import httpx

from contract_tests.browser import CHROMIUM, CHROMIUM_FLAGS

CONSOLE = "/__mock__/console"
LOAD_BUDGET_MS = 1000.0
TOKEN = "bench-console"
COR_WORKSPACE = "/v2/integrations/workspaces/TEAMS-WS-12345"


def skip_reason() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (make install installs it)"
    if CHROMIUM is None:
        return "no Chromium on this machine (make browser installs it as root)"
    return None


def measure(origin: str, runs: int = 5) -> dict[str, Any]:
    """Median and worst ``loadEventEnd`` (ms) of ``runs`` fresh page loads, each in a new browser context."""
    from playwright.sync_api import expect, sync_playwright

    with httpx.Client(base_url=origin, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=10) as api:
        for _ in range(5):
            api.put(COR_WORKSPACE, json={"metadata": {"source": "MICROSOFT_TEAMS"}, "name": "Bench"})
    loads = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            for _ in range(runs):
                context = browser.new_context()
                page = context.new_page()
                page.goto(f"{origin}{CONSOLE}#token={TOKEN}")
                expect(page.locator("#journal li")).to_have_count(5)
                expect(page.locator("#state details").first).to_be_visible()
                timing = page.evaluate("() => performance.getEntriesByType('navigation')[0].loadEventEnd")
                loads.append(float(timing))
                context.close()
        finally:
            browser.close()
    median = statistics.median(loads)
    return {
        "median_load_ms": round(median, 1),
        "max_load_ms": round(max(loads), 1),
        "budget_ms": LOAD_BUDGET_MS,
        "within_budget": median < LOAD_BUDGET_MS,
    }

"""How the kit starts a browser: Debian's Chromium under Playwright, for the console's tests and its benchmark."""

from __future__ import annotations

import shutil

CHROMIUM = shutil.which("chromium")
#: As root Chromium needs --no-sandbox; the rest keep a test browser from calling home or doing background work.
#: Playwright adds --headless itself.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

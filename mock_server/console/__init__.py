"""The browser console of ``GET /__mock__/console``: ``console.html`` with ``console.css`` and ``console.js`` inlined.

The three files beside this module are the page, with no build step. They are put together once, so the page is
one small response that needs nothing else (no CDN, no second request), and its Content-Security-Policy allows
exactly its own script and stylesheet (by hash) and calls back to the mock: whatever a journaled request holds,
the page never runs it.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from functools import cache
from importlib import resources

STYLE_SLOT = "<style>/* console.css */</style>"
SCRIPT_SLOT = "<script>/* console.js */</script>"


@dataclass(frozen=True)
class Page:
    body: bytes
    headers: dict[str, str]


def _source(name: str) -> str:
    return (resources.files(__name__) / name).read_text(encoding="utf-8")


def _inline(html: str, slot: str, tag: str, content: str) -> str:
    # A closing tag inside the content would end the element early; the files are ours, so this never happens.
    if f"</{tag}" in content.lower() or html.count(slot) != 1:
        raise ValueError(f"cannot inline {tag}: closing tag in the content, or not exactly one slot")
    return html.replace(slot, f"<{tag}>{content}</{tag}>")


def _hash(content: str) -> str:
    digest = hashlib.sha256(content.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


@cache
def page() -> Page:
    """The console page and its headers, built on first use."""
    style, script = _source("console.css"), _source("console.js")
    html = _inline(_inline(_source("console.html"), STYLE_SLOT, "style", style), SCRIPT_SLOT, "script", script)
    policy = "; ".join(
        (
            "default-src 'none'",
            f"script-src {_hash(script)}",
            f"style-src {_hash(style)}",
            "connect-src 'self'",
            "img-src data:",
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors 'none'",
        )
    )
    headers = {
        "Content-Type": "text/html; charset=utf-8",
        "Content-Security-Policy": policy,
        "Referrer-Policy": "no-referrer",
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "no-cache",
    }
    return Page(html.encode("utf-8"), headers)

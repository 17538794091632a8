"""The landing page, ``GET /``: every API the mock serves, with its base URL, spec and Swagger UI, and the control API.

HTML for a browser, JSON for ``Accept: application/json``. The same listing is what ``python -m mock_server``
prints when it starts. It answers only ``/`` and leaves every other request to the app it wraps.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

from .core.vendor import Vendor

#: Where connexion serves each spec and its Swagger UI under an API's base path (``SwaggerUIOptions`` in app.py).
SPEC_PATH = "/openapi.json"
SWAGGER_UI_PATH = "/ui/"
#: The browser console, under the control API's base path (``GET /__mock__/console``).
CONSOLE_PATH = "/console"
#: A Host header worth echoing into links: a name or address and a port, nothing else.
STATEFUL = "stateful"
EXAMPLE_ONLY = "example-only"
HOST = re.compile(r"[A-Za-z0-9.\-]+(:\d+)?|\[[0-9A-Fa-f:.]+\](:\d+)?")


@dataclass(frozen=True)
class Listing:
    """One API as the landing page shows it."""

    name: str
    title: str
    version: str
    base_path: str
    #: ``stateful`` (a vendor folder's handlers keep state) or ``example-only`` (answers from the spec's examples).
    mode: str

    @classmethod
    def of(cls, vendor: Vendor) -> Listing:
        info = vendor.spec["info"]
        mode = STATEFUL if vendor.stateful else EXAMPLE_ONLY
        return cls(vendor.name, str(info["title"]), str(info["version"]), vendor.base_path, mode)

    def urls(self, origin: str) -> dict[str, str]:
        base = origin + self.base_path
        return {"base_url": base, "spec": base + SPEC_PATH, "swagger_ui": base + SWAGGER_UI_PATH}


@dataclass(frozen=True)
class Landing:
    """The vendor APIs and the control API of one mock."""

    apis: tuple[Listing, ...]
    control: Listing
    version: str

    @classmethod
    def of(cls, vendors: Iterable[Vendor], control: Vendor, version: str) -> Landing:
        return cls(tuple(Listing.of(vendor) for vendor in vendors), Listing.of(control), version)

    def document(self, origin: str) -> dict[str, Any]:
        """The JSON answer: absolute URLs on ``origin`` (``http://127.0.0.1:8080``)."""

        def entry(listing: Listing) -> dict[str, str]:
            return {"name": listing.name, "title": listing.title, "version": listing.version, **listing.urls(origin)}

        control = {
            **entry(self.control),
            "health": origin + self.control.base_path + "/health",
            "console": origin + self.control.base_path + CONSOLE_PATH,
        }
        apis = [{**entry(api), "mode": api.mode} for api in self.apis]
        return {"mock_version": self.version, "apis": apis, "control": control}

    def lines(self, origin: str) -> list[str]:
        """The listing as the start-up prints it, one API per line, each saying whether it keeps state."""
        width = max(len(listing.title) for listing in (*self.apis, self.control))
        out = [f"Landing page: {origin}/", f"Console: {origin}{self.control.base_path}{CONSOLE_PATH}"]
        for listing in (*self.apis, self.control):
            urls = listing.urls(origin)
            mode = listing.mode if listing in self.apis else "control API"
            line = f"  {listing.title:<{width}}  {urls['base_url']}  (Swagger UI {urls['swagger_ui']})  [{mode}]"
            out.append(line)
        return out

    def html(self, origin: str) -> str:
        document = self.document(origin)
        rows = "\n".join(_row(api) for api in [*document["apis"], {**document["control"], "mode": "control API"}])
        return _PAGE.format(
            version=html.escape(self.version),
            rows=rows,
            health=_link(document["control"]["health"]),
            console=_link(document["control"]["console"]),
        )


def _link(url: str, text: str | None = None) -> str:
    return f'<a href="{html.escape(url)}">{html.escape(text or url)}</a>'


def _row(api: Mapping[str, str]) -> str:
    title = f"{html.escape(api['title'])} <small>{html.escape(api['version'])} · {html.escape(api['mode'])}</small>"
    cells = [title, _link(api["base_url"]), _link(api["spec"], "openapi.json"), _link(api["swagger_ui"], "Swagger UI")]
    return "<tr>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>"


_PAGE = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>API contract kit mock</title>
<style>body{{font-family:sans-serif;margin:2em}}td,th{{padding:.3em 1em;text-align:left}}</style></head>
<body>
<h1>API contract kit mock <small>{version}</small></h1>
<p>Each API is served at its vendor's own base path; any bearer token is a tenant of its own. A stateful API
remembers writes; an example-only API (a spec without a vendor folder) answers from its spec's examples.</p>
<table>
<tr><th>API</th><th>Base URL</th><th>Spec</th><th>Docs</th></tr>
{rows}
</table>
<p>Console (a tenant's requests as they arrive, and why the mock refused them): {console}</p>
<p>Health: {health}</p>
</body>
</html>
"""


def wants_json(accept: str) -> bool:
    """Whether an Accept header prefers ``application/json`` to ``text/html`` (a tie, or no header, is HTML)."""
    weights: dict[str, float] = {}
    for item in accept.split(","):
        media_type, *params = (part.strip() for part in item.split(";"))
        quality = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        weights[media_type.lower()] = max(quality, weights.get(media_type.lower(), 0.0))

    def weight(media_type: str) -> float:
        kind = media_type.split("/")[0]
        for candidate in (media_type, f"{kind}/*", "*/*"):
            if candidate in weights:
                return weights[candidate]
        return 0.0

    return weight("application/json") > weight("text/html")


class LandingPage:
    """ASGI middleware answering ``GET /`` (and ``HEAD /``) with the landing page."""

    def __init__(self, app: ASGIApp, landing: Landing) -> None:
        self.app = app
        self.landing = landing

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != "/" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        headers = {key.decode("latin-1").lower(): value.decode("latin-1") for key, value in scope["headers"]}
        origin = _origin(scope, headers.get("host", ""))
        if wants_json(headers.get("accept", "")):
            body, content_type = json.dumps(self.landing.document(origin)).encode(), b"application/json"
        else:
            body, content_type = self.landing.html(origin).encode(), b"text/html; charset=utf-8"
        start_headers = [
            (b"content-type", content_type),
            (b"content-length", str(len(body)).encode()),
            (b"vary", b"Accept"),
        ]
        await send({"type": "http.response.start", "status": 200, "headers": start_headers})
        await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body})


def _origin(scope: Scope, host: str) -> str:
    """``scheme://host:port`` as the client addressed us, or the socket's address if its Host header is odd."""
    if not HOST.fullmatch(host):
        server = scope.get("server") or ("127.0.0.1", 80)
        host = f"{server[0]}:{server[1]}"
    return f"{scope.get('scheme', 'http')}://{host}"

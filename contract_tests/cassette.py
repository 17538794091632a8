"""Cassettes: exchanges with a live API saved as HAR 1.2 files, masked, so that they replay without the API.

``make drift RECORD=path`` and ``make contract-live RECORD=path`` write one; ``make drift-replay`` reads one back.
HAR (HTTP Archive 1.2) is the format of browsers' developer tools and of schemathesis's own ``--report har``, so a
cassette opens in any HAR viewer; it is written with ``harfile``, the writer schemathesis uses. Each entry's
``comment`` names the spec operation its request was generated for (``PUT /workspaces/{id}``). Bodies are text;
bytes that are not UTF-8 are kept as escaped surrogates, so nothing is lost.

Before anything is written, a :class:`Masker` replaces the live token, wherever it appears, by ``[Filtered]``
(cookies are filtered whole), and each sandbox ID by the spec's example value for the parameter or field it
fills: a committed cassette names none of the account's credentials or entities, and still addresses one
consistent entity when it is replayed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

import harfile
import yaml

#: What a masked secret reads as: schemathesis's own marker, so one word means "masked" in every report.
MASK = "[Filtered]"
#: Headers whose whole value is a secret of the session, whatever it contains.
COOKIE_HEADERS = frozenset({"cookie", "set-cookie", "proxy-authorization"})
#: Below this length, or made of digits only, a sandbox ID is replaced only where it is a whole value: inside
#: text it could be part of anything.
MIN_SUBSTRING = 4
#: HAR needs a start time; entries built from documentation have none.
NO_TIME = "1970-01-01T00:00:00+00:00"
CREATOR = harfile.Creator(name="api-contract-kit", version="0.1.0")

Headers = tuple[tuple[str, str], ...]


class CassetteError(ValueError):
    """A cassette that cannot be read: the message names the file, the entry and the problem."""


def _header(headers: Headers, name: str) -> str | None:
    wanted = name.lower()
    return next((value for key, value in headers if key.lower() == wanted), None)


@dataclass(frozen=True)
class Request:
    """A request as sent; ``path`` is below the API's base URL, query string included."""

    method: str
    path: str
    headers: Headers = ()
    body: bytes | None = None

    def header(self, name: str) -> str | None:
        return _header(self.headers, name)


@dataclass(frozen=True)
class Response:
    status: int
    headers: Headers = ()
    body: bytes = b""

    def header(self, name: str) -> str | None:
        return _header(self.headers, name)


@dataclass(frozen=True)
class Exchange:
    """One request, the operation it was generated for, and the live API's answer."""

    operation: str
    request: Request
    response: Response
    started: str = NO_TIME
    elapsed_ms: float = 0


def from_schemathesis(operation: str, response: Any, base_url: str, *, started: str = NO_TIME) -> Exchange:
    """The exchange behind a schemathesis response: the prepared request it carries, and the answer."""
    sent = response.request
    url = str(sent.url)
    path = url[len(base_url) :] if url.startswith(base_url) else urlsplit(url).path
    body = sent.body.encode("utf-8") if isinstance(sent.body, str) else sent.body
    return Exchange(
        operation=operation,
        request=Request(str(sent.method).upper(), path, tuple(sent.headers.items()), body),
        response=Response(
            response.status_code,
            tuple((name, value) for name, values in response.headers.items() for value in values),
            response.content or b"",
        ),
        started=started,
        elapsed_ms=round(response.elapsed * 1000, 2),
    )


# -- masking -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Masker:
    """Hides ``secrets`` (replaced by :data:`MASK`) and replaces sandbox IDs by their stand-ins.

    ``substitutes`` maps each sandbox value to its stand-in: strings are replaced wherever they appear in text
    (whole values only when shorter than :data:`MIN_SUBSTRING` or all digits), integers where they are a whole
    JSON number or path segment.
    """

    secrets: tuple[str, ...] = ()
    substitutes: Mapping[str | int, str | int] = field(default_factory=dict)

    def text(self, value: str) -> str:
        for secret in self.secrets:
            if secret:
                value = value.replace(secret, MASK)
        for old, new in self._strings():
            if value == old:
                return str(new)
            if len(old) >= MIN_SUBSTRING and not old.isdigit():
                value = value.replace(old, str(new))
        return value

    def _strings(self) -> list[tuple[str, str | int]]:
        pairs = [(old, new) for old, new in self.substitutes.items() if isinstance(old, str)]
        return sorted(pairs, key=lambda pair: -len(pair[0]))

    def json(self, value: Any) -> Any:
        if isinstance(value, dict):
            return {self.text(str(key)): self.json(item) for key, item in value.items()}
        if isinstance(value, list):
            return [self.json(item) for item in value]
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, int) and not isinstance(value, bool) and value in self.substitutes:
            return self.substitutes[value]
        return value

    def body(self, data: bytes | None) -> bytes | None:
        """A JSON body with its values masked (re-serialized only when something changed), else masked as text."""
        if not data:
            return data
        text = data.decode("utf-8", "surrogateescape")
        try:
            document = json.loads(text)
        except ValueError:
            return self.text(text).encode("utf-8", "surrogateescape")
        masked = self.json(document)
        if masked == document and self.text(text) == text:
            return data
        return json.dumps(masked).encode("utf-8")

    def path(self, path: str) -> str:
        """A path and query with sandbox IDs replaced segment by segment, and secrets filtered."""
        route, question, query = path.partition("?")
        segments = [self._segment(segment) for segment in route.split("/")]
        return self.text("/".join(segments)) + question + self.text(query)

    def _segment(self, segment: str) -> str:
        value = unquote(segment)
        for old, new in self.substitutes.items():
            if value == str(old) and not isinstance(old, bool):
                return quote(str(new), safe="")
        return segment

    def headers(self, headers: Headers) -> Headers:
        return tuple((name, MASK if name.lower() in COOKIE_HEADERS else self.text(value)) for name, value in headers)

    def request(self, request: Request) -> Request:
        return Request(request.method, self.path(request.path), self.headers(request.headers), self.body(request.body))

    def response(self, response: Response) -> Response:
        return Response(response.status, self.headers(response.headers), self.body(response.body) or b"")

    def exchange(self, exchange: Exchange) -> Exchange:
        return replace(exchange, request=self.request(exchange.request), response=self.response(exchange.response))


# -- HAR files -----------------------------------------------------------------------------------------------------


def _text(data: bytes) -> str:
    return data.decode("utf-8", "surrogateescape")


def _records(headers: Headers) -> list[harfile.Record]:
    return [harfile.Record(name=name, value=value) for name, value in headers]


def write(path: Path, exchanges: Iterable[Exchange], *, base_url: str, comment: str) -> None:
    """Write ``exchanges`` (already masked) as a HAR file; request URLs are ``base_url`` + each path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh, harfile.open(fh, creator=CREATOR, comment=comment) as har:
        for exchange in exchanges:
            request, response = exchange.request, exchange.response
            query = urlsplit(request.path).query
            har.add_entry(
                startedDateTime=exchange.started,
                time=exchange.elapsed_ms,
                request=harfile.Request(
                    method=request.method,
                    url=base_url + request.path,
                    httpVersion="HTTP/1.1",
                    headers=_records(request.headers),
                    queryString=[
                        harfile.Record(name=unquote(name), value=unquote(value))
                        for name, _, value in (pair.partition("=") for pair in query.split("&") if pair)
                    ],
                    postData=None
                    if request.body is None
                    else harfile.PostData(mimeType=request.header("Content-Type") or "", text=_text(request.body)),
                    bodySize=len(request.body or b""),
                ),
                response=harfile.Response(
                    status=response.status,
                    statusText="",
                    httpVersion="HTTP/1.1",
                    headers=_records(response.headers),
                    content=harfile.Content(
                        size=len(response.body),
                        mimeType=response.header("Content-Type") or "",
                        text=_text(response.body),
                    ),
                    bodySize=len(response.body),
                ),
                timings=harfile.Timings(send=0, wait=exchange.elapsed_ms, receive=0),
                comment=exchange.operation,
            )


class Recorder:
    """Keeps the exchanges of a run, masked as they come, and writes them to ``path`` as a cassette."""

    def __init__(self, path: Path, *, base_url: str, masker: Masker, comment: str) -> None:
        self.path = path
        self.base_url = base_url
        self.masker = masker
        self.comment = comment
        self.exchanges: list[Exchange] = []

    def add(self, exchange: Exchange) -> None:
        self.exchanges.append(self.masker.exchange(exchange))

    def write(self) -> None:
        write(self.path, self.exchanges, base_url=self.masker.text(self.base_url), comment=self.comment)


def read(path: Path, base_path: str) -> list[Exchange]:
    """The exchanges of a HAR file; each URL is read below ``base_path``, the API's base path in its spec."""
    try:
        with path.open(encoding="utf-8") as fh:
            entries = json.load(fh)["log"]["entries"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise CassetteError(f"{path}: not a HAR file ({exc})") from exc
    exchanges = []
    for index, entry in enumerate(entries):
        try:
            exchanges.append(_exchange(entry, base_path))
        except (KeyError, TypeError, ValueError) as exc:
            raise CassetteError(f"{path}: entry {index}: {exc}") from exc
    return exchanges


def _exchange(entry: Mapping[str, Any], base_path: str) -> Exchange:
    request, response = entry["request"], entry["response"]
    url = urlsplit(request["url"])
    where = url.path.find(base_path)
    if where < 0:
        raise ValueError(f"{request['url']} is not under the API's base path {base_path}")
    path = url.path[where + len(base_path) :] + (f"?{url.query}" if url.query else "")
    post = request.get("postData")
    method = str(request["method"]).upper()
    return Exchange(
        operation=str(entry.get("comment") or f"{method} {path}"),
        request=Request(
            method,
            path,
            tuple((str(h["name"]), str(h["value"])) for h in request.get("headers", [])),
            None if post is None else str(post.get("text") or "").encode("utf-8", "surrogateescape"),
        ),
        response=Response(
            int(response["status"]),
            tuple((str(h["name"]), str(h["value"])) for h in response.get("headers", [])),
            str(response.get("content", {}).get("text") or "").encode("utf-8", "surrogateescape"),
        ),
        started=str(entry.get("startedDateTime") or NO_TIME),
        elapsed_ms=float(entry.get("time") or 0),
    )


# -- cassettes of the vendor docs' examples ------------------------------------------------------------------------


def from_docs(examples_file: Path, base_path: str, operations: Mapping[str, str]) -> list[Exchange]:
    """The request/response examples of a vendor's docs (``contract_tests/vendor_examples/<api>.yaml``) as exchanges.

    ``operations`` maps each operationId to its label (``PUT /workspaces/{id}``); an example is filed under the
    operation its key names, or under the only operation its method and URL can reach. The docs' credential
    placeholder (``Bearer YOUR_ACCESS_TOKEN``) is masked like a recorded token, so the replay sends it as the
    credential of the mock's tenant. An example with ``error`` and ``error_statuses`` (Dreadnode's one error
    body shown under every error status) adds the docs' request without its credential, answered 401 with that
    body: the error is an authentication failure.
    """
    with examples_file.open(encoding="utf-8") as fh:
        examples = yaml.safe_load(fh)
    exchanges = []
    for key, example in examples.items():
        url = urlsplit(example["url"])
        path = url.path[url.path.index(base_path) + len(base_path) :]
        headers = tuple((name, _mask_credential(name, str(value))) for name, value in example["headers"].items())
        body = str(example["body"]).encode("utf-8") if example.get("body") is not None else None
        request = Request(str(example["method"]).upper(), path, headers, body)
        operation = operations.get(key) or _operation_of(request, operations)
        answer = Response(int(example.get("status", 200)), _json_type(), str(example["response"]).encode("utf-8"))
        exchanges.append(Exchange(operation, request, answer))
        if "error" in example and 401 in example.get("error_statuses", []):
            anonymous = replace(request, headers=tuple(h for h in headers if h[0].lower() != "authorization"))
            error = Response(401, _json_type(), str(example["error"]).encode("utf-8"))
            exchanges.append(Exchange(operation, anonymous, error))
    return exchanges


def _json_type() -> Headers:
    return (("Content-Type", "application/json"),)


def _mask_credential(name: str, value: str) -> str:
    if name.lower() == "authorization":
        scheme, _, _ = value.partition(" ")
        return f"{scheme} {MASK}"
    return MASK if name.lower() == "x-api-key" else value


def _operation_of(request: Request, operations: Mapping[str, str]) -> str:
    """The one operation whose method and path template match ``request``."""
    matches = [label for label in operations.values() if _matches(label, request)]
    if len(matches) != 1:
        raise CassetteError(f"{request.method} {request.path}: matches {len(matches)} operations")
    return matches[0]


def _matches(label: str, request: Request) -> bool:
    method, _, template = label.partition(" ")
    pattern = "^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$"
    return method == request.method and re.match(pattern, request.path.partition("?")[0]) is not None

"""What a drift run compares between the live API's answer and the mock's to the same request.

- the status code; when they differ, nothing else (the bodies answer different questions);
- for errors, the vendor's error identity: the fields the spec's ``x-drift.error-identity`` names (COR's
  ``name`` and ``code``, Dreadnode's ``type``, the ``PropertyName`` of each of Nexudus's ``Errors``) and the set
  of keys of the error object; a body that is not an object (Nexudus's ``"Not found"``, an empty body) by value;
- for successes, the keys at every depth (list items merged), each value's JSON type, whether each field the
  request set came back as sent, and every other value, except the ``x-drift.volatile`` fields (timestamps,
  generated IDs), which are compared by JSON type only;
- ``Retry-After`` and ``WWW-Authenticate``, and every header the spec documents for that response.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ..cassette import Request, Response
from ..contract import resolve_ref
from ..put_semantics import same_json

EXTENSION = "x-drift"
#: The headers clients act on whether or not a spec documents them.
ALWAYS_COMPARED_HEADERS = ("Retry-After", "WWW-Authenticate")


@dataclass(frozen=True)
class Rules:
    """An API's ``x-drift`` declaration: its volatile fields and the fields that name its errors."""

    volatile: frozenset[str]
    error_identity: tuple[str, ...]

    @classmethod
    def of(cls, document: Mapping[str, Any]) -> Rules:
        """The spec's ``x-drift``; raises ValueError naming what is wrong with it."""
        declared = document.get(EXTENSION)
        if not isinstance(declared, dict):
            raise ValueError(f"the spec declares no {EXTENSION} (volatile fields and error identity)")
        volatile, identity = declared.get("volatile", []), declared.get("error-identity", [])
        for key, value in (("volatile", volatile), ("error-identity", identity)):
            if not (isinstance(value, list) and all(isinstance(item, str) and item for item in value)):
                raise ValueError(f"{EXTENSION}.{key} must be a list of field names")
        return cls(frozenset(volatile), tuple(identity))


@dataclass(frozen=True)
class Finding:
    """One way two answers differ: ``kind`` groups it in the report, ``detail`` says what differs."""

    kind: str
    detail: str


# -- bodies --------------------------------------------------------------------------------------------------------

EMPTY, JSON, TEXT = "empty", "json", "text"


def decode(body: bytes) -> tuple[str, Any]:
    """``(EMPTY, None)``, ``(JSON, value)`` or ``(TEXT, text)``."""
    text = body.decode("utf-8", "replace")
    if not text.strip():
        return EMPTY, None
    try:
        return JSON, json.loads(text)
    except ValueError:
        return TEXT, text


def json_type(value: Any) -> str:
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        return "array"
    if isinstance(value, str):
        return "string"
    if isinstance(value, bool):
        return "boolean"
    if value is None:
        return "null"
    return "number"


def show(value: Any, limit: int = 80) -> str:
    """A value as JSON, cut to ``limit`` characters."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe(kind: str, value: Any) -> str:
    if kind == EMPTY:
        return "an empty body"
    if kind == TEXT:
        return f"a body that is not JSON ({show(value, 40)})"
    return (
        f"the JSON {json_type(value)} {show(value)}"
        if not isinstance(value, dict | list)
        else f"a JSON {json_type(value)}"
    )


def _nodes(value: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """Every node below the root with its path: ``a.b``, list items as ``a[0]``."""
    if isinstance(value, dict):
        for key, item in value.items():
            here = f"{path}.{key}" if path else str(key)
            yield here, item
            yield from _nodes(item, here)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            here = f"{path}[{index}]"
            yield here, item
            yield from _nodes(item, here)


def _merged(path: str) -> str:
    """``workspaces[]`` for ``workspaces[3]``: list items merged, for keys and types."""
    return re.sub(r"\[\d+\]", "[]", path)


def _last_key(path: str) -> str:
    return re.sub(r"\[\d*\]$", "", path).rpartition(".")[2]


def _shape(value: Any) -> dict[str, set[str]]:
    shape: dict[str, set[str]] = {}
    for path, node in _nodes(value):
        shape.setdefault(_merged(path), set()).add(json_type(node))
    return shape


def _types(types: set[str]) -> str:
    return " or ".join(sorted(types))


# -- comparison ----------------------------------------------------------------------------------------------------


def compare(
    rules: Rules, request: Request, live: Response, mock: Response, documented_headers: Iterable[str] = ()
) -> list[Finding]:
    """Every way the mock's answer to ``request`` differs from the live API's."""
    if live.status != mock.status:
        return [Finding("status", f"live {_summary(rules, live)}, the mock {_summary(rules, mock)}")]
    findings = _headers(live, mock, documented_headers)
    if live.status >= 400:
        return _error(rules, live, mock) + findings
    return _success(rules, request, live, mock) + findings


def _summary(rules: Rules, response: Response) -> str:
    """``404 (name WorkspaceNotFoundError, code ZC001)``: a status and the identity of its error."""
    kind, value = decode(response.body)
    if kind == JSON and isinstance(value, dict):
        named = [f"{field} {show(_select(value, field), 40)}" for field in rules.error_identity if _has(value, field)]
        return f"{response.status}" + (f" ({', '.join(named)})" if named else "")
    return f"{response.status} ({describe(kind, value)})"


def _has(body: Mapping[str, Any], field: str) -> bool:
    return field.partition("[]")[0] in body


def _select(body: Mapping[str, Any], field: str) -> Any:
    """The value of ``name``, or for ``Errors[].PropertyName`` the sorted values of each item's ``PropertyName``."""
    container, marker, rest = field.partition("[].")
    if not marker:
        return body.get(field)
    items = body.get(container)
    if not isinstance(items, list):
        return None
    return sorted((json.dumps(item.get(rest)) if isinstance(item, dict) else "null") for item in items)


def _error(rules: Rules, live: Response, mock: Response) -> list[Finding]:
    (live_kind, live_body), (mock_kind, mock_body) = decode(live.body), decode(mock.body)
    if not (isinstance(live_body, dict) and isinstance(mock_body, dict)):
        if (live_kind, live_body) == (mock_kind, mock_body) or (live_kind == mock_kind == TEXT):
            return []
        return [
            Finding(
                "error", f"body: live sends {describe(live_kind, live_body)}, the mock {describe(mock_kind, mock_body)}"
            )
        ]
    findings = []
    for field in rules.error_identity:
        mine, theirs = _select(live_body, field), _select(mock_body, field)
        if mine != theirs:
            findings.append(Finding("error", f"{field}: live {_identity(mine)}, the mock {_identity(theirs)}"))
    only_live, only_mock = sorted(set(live_body) - set(mock_body)), sorted(set(mock_body) - set(live_body))
    if only_live or only_mock:
        findings.append(Finding("error", f"error keys: {_key_sides(only_live, only_mock)}"))
    return findings


def _identity(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(value) + "]"
    return "absent" if value is None else show(value)


def _key_sides(only_live: list[str], only_mock: list[str]) -> str:
    sides = []
    if only_live:
        sides.append(f"only live sends {', '.join(f'`{k}`' for k in only_live)}")
    if only_mock:
        sides.append(f"only the mock sends {', '.join(f'`{k}`' for k in only_mock)}")
    return "; ".join(sides)


def _success(rules: Rules, request: Request, live: Response, mock: Response) -> list[Finding]:
    (live_kind, live_body), (mock_kind, mock_body) = decode(live.body), decode(mock.body)
    if live_kind != JSON or mock_kind != JSON or not isinstance(live_body, dict | list):
        if (live_kind, live_body) == (mock_kind, mock_body) or (live_kind == mock_kind == TEXT):
            return []
        return [
            Finding("body", f"live sends {describe(live_kind, live_body)}, the mock {describe(mock_kind, mock_body)}")
        ]
    findings, reported = _structure(live_body, mock_body)
    sent_kind, sent = decode(request.body or b"")
    sent_values = dict(_nodes(sent)) if sent_kind == JSON else {}
    live_nodes, mock_nodes = dict(_nodes(live_body)), dict(_nodes(mock_body))
    for path, value in live_nodes.items():
        if path not in mock_nodes or _merged(path) in reported or isinstance(value, dict):
            continue
        other = mock_nodes[path]
        if isinstance(value, list):
            if isinstance(other, list) and len(value) != len(other):
                findings.append(Finding("value", f"`{path}`: live has {len(value)} items, the mock {len(other)}"))
            continue
        if _last_key(path) in rules.volatile or json_type(value) != json_type(other):
            continue
        if path in sent_values and not isinstance(sent_values[path], dict | list):
            as_sent, mock_as_sent = same_json(sent_values[path], value), same_json(sent_values[path], other)
            if as_sent != mock_as_sent:
                findings.append(Finding("echo", _echo(path, sent_values[path], value, other, as_sent)))
                continue
        if not same_json(value, other):
            findings.append(Finding("value", f"`{path}`: live {show(value)}, the mock {show(other)}"))
    return findings


def _echo(path: str, sent: Any, live: Any, mock: Any, live_as_sent: bool) -> str:
    if live_as_sent:
        return f"`{path}` sent as {show(sent)}: live answers it as sent, the mock answers {show(mock)}"
    return f"`{path}` sent as {show(sent)}: the mock answers it as sent, live answers {show(live)}"


def _structure(live: Any, mock: Any) -> tuple[list[Finding], set[str]]:
    """Fields one side has and the other has not (the outermost only), and JSON types that differ; and the
    (merged) paths those findings cover, whose values are then not compared."""
    live_shape, mock_shape = _shape(live), _shape(mock)
    findings, reported = [], set()
    for path in sorted(live_shape.keys() | mock_shape.keys()):
        parent = _parent(path)
        if parent and (parent not in live_shape or parent not in mock_shape):
            reported.add(path)  # the whole parent is missing on one side: reported once, there
            continue
        if path not in mock_shape or path not in live_shape:
            reported.add(path)
            if not path.endswith("[]"):  # the items of a list one side leaves empty: its length is compared
                side = "missing field" if path not in mock_shape else "extra field"
                sender, other = ("live", "the mock") if side == "missing field" else ("the mock", "live")
                findings.append(Finding(side, f"`{path}`: {sender} sends it, {other} does not"))
        elif live_shape[path] != mock_shape[path]:
            reported.add(path)
            detail = f"`{path}`: live {_types(live_shape[path])}, the mock {_types(mock_shape[path])}"
            findings.append(Finding("type", detail))
    return findings, reported


def _parent(path: str) -> str:
    if path.endswith("[]"):
        return path[:-2]
    head, dot, _ = path.rpartition(".")
    return head if dot else ""


def _headers(live: Response, mock: Response, documented: Iterable[str]) -> list[Finding]:
    findings = []
    names = {name.lower(): name for name in (*ALWAYS_COMPARED_HEADERS, *documented)}
    for name in sorted(names.values(), key=str.lower):
        mine, theirs = live.header(name), mock.header(name)
        if mine != theirs:
            findings.append(Finding("header", f"{name}: live {_header(mine)}, the mock {_header(theirs)}"))
    return findings


def _header(value: str | None) -> str:
    return "sends none" if value is None else show(value)


def documented_headers(document: Mapping[str, Any], operation: str, status: int) -> list[str]:
    """The headers the spec documents for ``operation``'s answer with ``status`` (or its ``4XX``/``default``)."""
    method, _, path = operation.partition(" ")
    declared = document.get("paths", {}).get(path, {}).get(method.lower(), {}).get("responses", {})
    response = declared.get(str(status)) or declared.get(f"{str(status)[0]}XX") or declared.get("default") or {}
    return list(resolve_ref(document, response).get("headers", {}))

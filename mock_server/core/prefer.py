"""``Prefer: code=NNN, example=NAME, delay=MS`` — forcing documented responses, as Prism does.

A forced response is the operation's documented response for that status, with its spec example and
documented headers; it never runs the handler, so it never changes state.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .errors import ForcedResponseUnavailable, MalformedRequest

MAX_DELAY_MS = 30_000


@dataclass(frozen=True)
class Preference:
    code: int | None = None
    example: str | None = None
    delay_ms: int = 0

    @property
    def forces_response(self) -> bool:
        return self.code is not None or self.example is not None


NO_PREFERENCE = Preference()


def parse(header: str | None) -> Preference:
    """Parse the Prefer header (RFC 7240; several header lines joined with commas, as RFC 9110 combines them).

    Preferences the mock does not know are ignored, as the RFC says; the header must be ASCII.
    """
    if not header:
        return NO_PREFERENCE
    if not header.isascii():
        raise MalformedRequest("the Prefer header must be ASCII")
    values: dict[str, str] = {}
    for token in header.replace(";", ",").split(","):
        name, _, value = token.strip().partition("=")
        values[name.strip().lower()] = value.strip().strip('"')
    code = _number(values, "code", 100, 599)
    delay = _number(values, "delay", 0, MAX_DELAY_MS)
    example = values.get("example") or None
    return Preference(code=code, example=example, delay_ms=delay or 0)


def _number(values: Mapping[str, str], name: str, low: int, high: int) -> int | None:
    if name not in values:
        return None
    text = values[name]
    if not text.isdigit() or not low <= int(text) <= high:
        raise MalformedRequest(f"Prefer {name}= must be a whole number from {low} to {high}")
    return int(text)


def forced_response(responses: Mapping[str, Any], preference: Preference) -> tuple[Any, int, dict[str, str]]:
    """The documented response ``preference`` asks for, from the operation's (dereferenced) ``responses``."""
    documented = sorted(code for code in responses if code.isdigit())
    if preference.code is not None:
        code = str(preference.code)
        if code not in responses:
            raise ForcedResponseUnavailable(
                f"Prefer code={code} is not documented for this operation; documented: {', '.join(documented)}"
            )
        candidates = [code]
    else:
        # An example name alone: look in the success responses first, then in the others.
        candidates = sorted(documented, key=lambda c: (not c.startswith("2"), c))
    for code in candidates:
        found = _example(responses[code], preference.example)
        if found is not _MISSING:
            return found, int(code), _headers(responses[code])
    names = sorted({name for code in candidates for name in _examples(responses[code])})
    raise ForcedResponseUnavailable(
        f"Prefer example={preference.example} is not documented here; documented examples: {', '.join(names) or 'none'}"
    )


_MISSING = object()


def _examples(response: Mapping[str, Any]) -> dict[str, Any]:
    media = response.get("content", {}).get("application/json", {})
    return dict(media.get("examples", {}))


def _example(response: Mapping[str, Any], name: str | None) -> Any:
    """The named example's value, the first example when ``name`` is None, or ``_MISSING``."""
    media = response.get("content", {}).get("application/json")
    if media is None:
        return _MISSING if name else None  # a response without a body, such as a throttling 409
    examples = _examples(response)
    if name is not None:
        return examples[name].get("value") if name in examples else _MISSING
    if examples:
        return next(iter(examples.values())).get("value")
    if "example" in media:
        return media["example"]
    return media.get("schema", {}).get("example")


def _headers(response: Mapping[str, Any]) -> dict[str, str]:
    headers = {}
    for name, spec in response.get("headers", {}).items():
        schema = spec.get("schema", {})
        value = spec.get("example", schema.get("example", schema.get("default")))
        if value is not None:
            headers[name] = str(value)
    return headers

"""APIs served from their spec alone: a spec in ``openapi/`` without a vendor folder.

Such an API keeps no state. Each request is routed, authenticated (any credential is accepted; none is a 401),
validated and answered with the example of its operation's first documented success response, or the one
``Prefer`` names, as Prism answers a spec it knows nothing else about. Its errors are RFC 7807 problem details
sent as ``application/problem+json``: the spec does not say how the API words them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import prefer
from .admin import render_error as render_problem_body
from .context import Context
from .errors import MockError
from .routing import Operation
from .vendor import Rendered, Vendor

PROBLEM_JSON = "application/problem+json"


def render_problem(error: MockError) -> Rendered:
    """The control API's problem details (one place for that shape), labelled as RFC 7807 asks."""
    status, body, headers = render_problem_body(error)
    return status, body, {**headers, "Content-Type": PROBLEM_JSON}


def example_only(name: str) -> Vendor:
    """The stateless API of ``openapi/<name>.yaml``."""
    return Vendor(name=name, render_error=render_problem)


def handler(operation: Operation) -> Callable[[Context], tuple[Any, int, dict[str, str]]]:
    """The operation's answer: its first documented 2xx response (else its first documented one), with its example."""
    documented = sorted(code for code in operation.responses if code.isdigit())
    success = next((code for code in documented if code.startswith("2")), documented[0] if documented else "200")
    preference = prefer.Preference(code=int(success))

    def answer(ctx: Context) -> tuple[Any, int, dict[str, str]]:
        return prefer.forced_response(operation.responses, preference)

    return answer

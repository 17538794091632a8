"""The contract suite against the mock: every vendor spec, in-process (ASGI) and as a real server.

Cases come from the specs (examples, coverage and fuzzing phases; positive and negative data) with the settings
of ``schemathesis.toml``; every built-in check and our PUT checks (``put_semantics.py``) judge each response.
"""

from __future__ import annotations

from typing import Any

import schemathesis
from schemathesis.checks import ignored_auth

from mock_server.app import create_app
from mock_server.registry import VENDORS

from .contract import ASGI_AUTH_FILE, ASGI_BYSTANDER, ASGI_TOKEN, Target, load_schema, selected_specs, spec_name
from .server import MockProcess

#: The stateful APIs: an example-only API (a spec without a vendor folder) answers every call with a fixed example,
#: so no contract about state (a PUT read back, tenants apart) can hold for it.
SPECS = {spec.name: spec for spec in selected_specs() if VENDORS[spec.name].stateful}
#: One app serving every API, with strict auth (only the two contract credentials), validating its responses.
APP = create_app(validate_responses=True, auth_file=ASGI_AUTH_FILE)
ASGI_TARGETS = {name: Target("asgi", spec, app=APP, bystander=ASGI_BYSTANDER) for name, spec in SPECS.items()}
#: ``make mock`` accepts any token as its own tenant: these two name tenants no other test uses.
SERVER_TOKEN = "contract-server-a"
SERVER_BYSTANDER = "contract-server-b"
_SERVER_TARGETS: dict[tuple[str, str], Target] = {}


def server_target(name: str, server: MockProcess) -> Target:
    key = (name, server.url)
    if key not in _SERVER_TARGETS:
        _SERVER_TARGETS[key] = Target(
            "server",
            SPECS[name],
            base_url=server.url + SPECS[name].base_path,
            control_origin=server.url,
            bystander=SERVER_BYSTANDER,
        )
    return _SERVER_TARGETS[key]


@schemathesis.pytest.parametrize(**{name: load_schema(spec, token=ASGI_TOKEN, app=APP) for name, spec in SPECS.items()})
def test_asgi(case: Any) -> None:
    with ASGI_TARGETS[spec_name(case)].active() as target:
        case.call_and_validate(**target.call_kwargs())


@schemathesis.pytest.parametrize(**{name: load_schema(spec, token=SERVER_TOKEN) for name, spec in SPECS.items()})
def test_server(case: Any, mock_server: MockProcess) -> None:
    # The shared server accepts every token (each is a tenant), so no credential is "invalid" there and
    # ignored_auth cannot apply; test_asgi runs it against the same app with strict auth.
    with server_target(spec_name(case), mock_server).active() as target:
        case.call_and_validate(**target.call_kwargs(), excluded_checks=[ignored_auth])

"""pytest fixtures for teams that test their integrations against the mock, without vendor credentials.

Opt in, with the kit installed in your test environment (``pip install <kit>``) and the client you need
(``pip install <kit>/generated_client/cor_client``)::

    pytest -p mock_server.pytest_plugin            # or, in your top-level conftest.py:
    pytest_plugins = ["mock_server.pytest_plugin"]

Fixtures:

- ``mock_api_server`` (session): the mock, started once with ``python -m mock_server --port 0``; ``.url`` is
  its root URL. Extra arguments (``--fixtures my.yaml``, ``--api cor``) go in the ini option
  ``mock_server_args``.
- ``mock_tenant``: a fresh tenant for each test, that is a token nobody else uses, so tests never see each
  other's writes; ``.api_url("cor")``, ``.token`` and ``.headers`` are for raw HTTP.
- ``cor_client``: a :class:`cor_client.AuthenticatedClient` for that tenant, with a 10 s timeout, raising on
  any status the spec does not document.

The plugin is deliberately not registered as a ``pytest11`` entry point: that would load it into every pytest
run of every environment the kit is installed in, this repository's own included, and start nothing useful
there while claiming fixture names. Loading it is one explicit line.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import httpx
import pytest

from .process import MockProcess, mock_command
from .registry import VENDORS

if TYPE_CHECKING:
    from cor_client import AuthenticatedClient as CorClient

TIMEOUT = httpx.Timeout(10.0)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini("mock_server_args", type="args", default=[], help="extra arguments for python -m mock_server")


@dataclass(frozen=True)
class MockTenant:
    """One tenant of a running mock: its root URL and the bearer token that selects the tenant."""

    url: str
    token: str

    def api_url(self, api: str) -> str:
        """The base URL of ``api`` on the mock, as the vendor's own base path (``.../v2/integrations``)."""
        return self.url + VENDORS[api].base_path

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@pytest.fixture(scope="session")
def mock_api_server(pytestconfig: pytest.Config) -> Iterator[MockProcess]:
    """The mock on a free port, for the whole session."""
    args: list[str] = pytestconfig.getini("mock_server_args")
    with MockProcess(mock_command(args)) as server:
        yield server


@pytest.fixture
def mock_tenant(mock_api_server: MockProcess) -> MockTenant:
    """A tenant of its own for this test, with a fresh copy of the default fixtures."""
    return MockTenant(url=mock_api_server.url, token=f"pytest-{uuid.uuid4()}")


@pytest.fixture
def cor_client(mock_tenant: MockTenant) -> Iterator[CorClient]:
    """The generated COR client, authenticated as this test's tenant."""
    try:
        from cor_client import AuthenticatedClient
    except ImportError as exc:
        pytest.fail(f"{exc}: install the client with `pip install <kit>/generated_client/cor_client`", pytrace=False)
    client = AuthenticatedClient(
        base_url=mock_tenant.api_url("cor"),
        token=mock_tenant.token,
        timeout=TIMEOUT,
        raise_on_unexpected_status=True,
    )
    with client:
        yield client

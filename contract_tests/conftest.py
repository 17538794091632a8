"""Shared fixtures: one real mock server per session, a fresh tenant (token) per test, spec loading."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from .installed import InstalledKit, install
from .server import MockProcess
from .spec_tools import dereference

# The contract-test harness (status-code report), our schemathesis checks and the live run's progress report,
# imported once by dotted name.
pytest_plugins = ["contract_tests.contract", "contract_tests.put_semantics", "contract_tests.live_report"]

REPO = Path(__file__).resolve().parents[1]
SPEC_DIR = REPO / "openapi"


class Clock:
    """Monotonic seconds that move only when the test says so (an injected clock instead of sleeping)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now = round(self.now + seconds, 6)


def load_yaml(path: Path) -> Any:
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@pytest.fixture(scope="session")
def mock_server() -> Iterator[MockProcess]:
    """The mock started with ``make mock`` on a free port, validating its own responses."""
    server = MockProcess(["--validate-responses"])
    yield server
    server.stop()


@pytest.fixture
def token() -> str:
    """A credential nobody else uses: a fresh tenant with the default fixtures."""
    return f"test-{uuid.uuid4()}"


@pytest.fixture
def client(mock_server: MockProcess, token: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=mock_server.url, headers={"Authorization": f"Bearer {token}"}, timeout=10) as http:
        yield http


@pytest.fixture(scope="session")
def installed_kit(tmp_path_factory: pytest.TempPathFactory) -> InstalledKit:
    """The kit and every client installed from their wheels into a venv outside the checkout (built once)."""
    return install(tmp_path_factory.mktemp("installed-kit"))


@pytest.fixture(scope="session")
def cor_spec() -> Any:
    return load_yaml(SPEC_DIR / "cor.yaml")


@pytest.fixture(scope="session")
def resolved_cor_spec(cor_spec: Any) -> Any:
    return dereference(cor_spec)

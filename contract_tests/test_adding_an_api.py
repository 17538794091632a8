"""``docs/adding-an-api.md`` is true: a copy of the kit given the files it lists serves, checks and documents the API.

Each test copies the kit (its tracked and new files, with its git history, which the changelog is made from) into a
temporary folder that links the checkout's ``.venv`` and ``node_modules``, adds the example API of
``contract_tests/templates/widgets/`` (laid out as the repository is), runs the commands the guide names, and
checks the copy as a user would: a running mock, the contract suite and the generated client.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from mock_server.process import MockProcess

from .readme import code_blocks

REPO = Path(__file__).resolve().parents[1]
TEMPLATE = REPO / "contract_tests" / "templates" / "widgets"
GUIDE = REPO / "docs" / "adding-an-api.md"
API = "widgets"
BASE = "/widgets/v1"


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


def run(cwd: Path, *command: str, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False, env=env, timeout=300)
    assert result.returncode == 0, f"{' '.join(command)} exited {result.returncode}:\n{result.stdout}{result.stderr}"
    return result.stdout


def copy_of_the_kit(target: Path) -> Path:
    """The kit as it is in the checkout (committed history, working-tree files), without its .venv."""
    git(REPO.parent, "clone", "--quiet", "--no-checkout", "--local", str(REPO), str(target))
    for name in git(REPO, "ls-files", "--cached", "--others", "--exclude-standard", "-z").split("\0"):
        source = REPO / name
        if name and source.is_file() and not source.is_symlink():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
        elif name and source.is_symlink():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            (target / name).symlink_to(os.readlink(source))
    git(target, "reset", "--quiet")  # the index at HEAD; the working tree is the checkout's
    for tool in (".venv", "node_modules"):
        (target / tool).symlink_to(REPO / tool)
    return target


def add(kit: Path, *files: str) -> None:
    """Copy ``files`` (paths inside the template, as they go into the repository) from the template into ``kit``."""
    for name in files:
        (kit / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(TEMPLATE / name, kit / name)


def changed(kit: Path, before: str) -> set[str]:
    """The paths ``git status`` shows now and did not show before (untracked folders listed file by file)."""
    now = set(git(kit, "status", "--porcelain", "--untracked-files=all").splitlines())
    return {line[3:] for line in now - set(before.splitlines())}


def make(kit: Path, *targets: str) -> str:
    # -o install: the copy shares the checkout's installed .venv and node_modules; nothing is installed again.
    return run(kit, "make", "-s", "--no-print-directory", "-o", "install", *targets)


@contextmanager
def mock(kit: Path) -> Iterator[MockProcess]:
    command = [str(kit / ".venv/bin/python"), "-m", "mock_server", "--port", "0", "--validate-responses"]
    server = MockProcess(command, cwd=kit, timeout=30)
    try:
        yield server
    finally:
        server.stop()


def listing(server: MockProcess) -> str:
    """What the mock printed at start-up, up to its listing's last line (printed just after "running on")."""
    deadline = time.monotonic() + 10
    while "Mock control API" not in "".join(server.output) and time.monotonic() < deadline:
        time.sleep(0.05)
    return "".join(server.output)


def listed_files() -> list[str]:
    """The files the guide says to add, with ``<api>`` replaced by the example's name."""
    block = code_blocks("Adding an API", "text", readme=GUIDE)[0]
    return [line.split()[0].replace("<api>", API) for line in block.splitlines() if line.strip()]


def test_the_files_the_guide_lists_make_a_stateful_api_served_checked_and_generated(tmp_path: Path) -> None:
    kit = copy_of_the_kit(tmp_path / "kit")
    before = git(kit, "status", "--porcelain", "--untracked-files=all")
    template = sorted(str(path.relative_to(TEMPLATE)) for path in TEMPLATE.rglob("*") if path.is_file())
    add(kit, *template)
    make(kit, "changelog", "client")
    # The spec-change gate takes a new spec as an addition, not a break.
    assert f"{API} (openapi/{API}.yaml, Widgets API): added at version 1.0.0" in make(kit, "spec-diff", "BASE=HEAD")

    # Only the files the guide lists: the template's, the changelog and the generated client.
    added = changed(kit, before)
    listed = listed_files()
    assert not [path for path in added if not any(path == f or path.startswith(f) for f in listed)], added
    assert all(any(path == f or path.startswith(f) for path in added) for f in listed), (listed, added)

    token = f"adding-{uuid.uuid4()}"
    auth = {"Authorization": f"Bearer {token}"}
    with mock(kit) as server:
        assert f"{server.url}{BASE}  (Swagger UI {server.url}{BASE}/ui/)  [stateful]" in listing(server)
        url = server.url + BASE + "/items/blue"
        assert httpx.get(url, headers=auth, timeout=10).json() == {"slug": "blue", "name": "Blue widget"}
        renamed = httpx.put(url, headers=auth, json={"name": "Green widget"}, timeout=10)
        assert renamed.status_code == 200 and renamed.json() == {"slug": "blue", "name": "Green widget"}
        assert httpx.get(url, headers=auth, timeout=10).json()["name"] == "Green widget"
        # Validated by the spec, refused in the vendor folder's envelope, and the state unchanged.
        refused = httpx.put(url, headers=auth, json={"name": ""}, timeout=10)
        assert refused.status_code == 400 and refused.json()["code"] == "bad_request"
        assert "name" in refused.json()["message"]
        missing = httpx.get(server.url + BASE + "/items/red", headers=auth, timeout=10)
        assert missing.status_code == 404 and missing.json() == {"code": "not_found", "message": "no widget red"}
        anonymous = httpx.get(url, timeout=10)
        assert anonymous.status_code == 401 and anonymous.headers["www-authenticate"] == 'Bearer realm="Widgets API"'
        # Journaled, per tenant.
        journal = httpx.get(server.url + "/__mock__/requests", headers=auth, params={"path": BASE}, timeout=10)
        assert [(e["method"], e["status"]) for e in journal.json()["requests"]] == [
            ("GET", 200),
            ("PUT", 200),
            ("GET", 200),
            ("PUT", 400),
            ("GET", 404),
        ]
        # The generated client calls it.
        call = (
            "import sys; from widgets_client import AuthenticatedClient; "
            "from widgets_client.api.widgets import get_widget; "
            "client = AuthenticatedClient(base_url=sys.argv[1], token=sys.argv[2]); "
            "print(get_widget.sync(client=client, slug='blue').name)"
        )
        env = {**os.environ, "PYTHONPATH": str(kit / "generated_client" / f"{API}_client")}
        assert run(kit, str(kit / ".venv/bin/python"), "-c", call, server.url + BASE, token, env=env) == (
            "Green widget\n"
        )

    # The spec passes the spec checks `make test` runs, and the contract suite (schemathesis, in-process) holds the
    # mock to it.
    run(kit, "node_modules/.bin/spectral", "lint", "--fail-severity=warn", f"openapi/{API}.yaml")
    env = {**os.environ, "CONTRACT_API": API, "CONTRACT_REPORTS": str(tmp_path / "reports")}
    output = run(
        kit,
        *(str(kit / ".venv/bin/python"), "-m", "pytest", "-q", "-p", "no:cacheprovider"),
        *("contract_tests/test_specs.py", "contract_tests/test_contract.py", "-k", f"{API}.yaml or test_asgi"),
        env=env,
    )
    # Six checks of the spec, and one contract test per operation.
    assert re.search(r"\b8 passed\b", output) and "failed" not in output, output
    observed = json.loads((tmp_path / "reports" / "observed-status.json").read_text(encoding="utf-8"))
    assert {operation: 200 in statuses["asgi"] for operation, statuses in observed[API].items()} == {
        "GET /items/{slug}": True,
        "PUT /items/{slug}": True,
    }
    # The client is what `make client` generates, and its checks see it fresh.
    assert f"({', '.join(sorted(['cor', 'dreadnode', 'nexudus', API]))})" in run(
        kit, str(kit / ".venv/bin/python"), "generated_client/regenerate.py", "--check"
    )


def test_a_spec_alone_is_served_example_only(tmp_path: Path) -> None:
    kit = copy_of_the_kit(tmp_path / "kit")
    add(kit, f"openapi/{API}.yaml")
    auth = {"Authorization": f"Bearer adding-{uuid.uuid4()}"}
    with mock(kit) as server:
        assert f"{server.url}{BASE}  (Swagger UI {server.url}{BASE}/ui/)  [example-only]" in listing(server)
        url = server.url + BASE + "/items/anything"
        # The first 2xx response's example, whatever the request; nothing is stored.
        assert httpx.get(url, headers=auth, timeout=10).json() == {"slug": "blue", "name": "Blue widget"}
        put = httpx.put(url, headers=auth, json={"name": "Green widget"}, timeout=10)
        assert put.status_code == 200 and put.json() == {"slug": "blue", "name": "Blue widget"}
        forced = httpx.get(url, headers={**auth, "Prefer": "code=404"}, timeout=10)
        assert forced.status_code == 404 and forced.json() == {"code": "not_found", "message": "no widget red"}
        # Validated, and refused as RFC 7807 problem details.
        refused = httpx.put(url, headers=auth, json={"name": ""}, timeout=10)
        assert refused.status_code == 400
        assert refused.headers["content-type"] == "application/problem+json"
        assert refused.json()["status"] == 400 and refused.json()["errors"][0]["field"] == "name"
        anonymous = httpx.get(url, timeout=10)
        assert anonymous.status_code == 401 and anonymous.headers["content-type"] == "application/problem+json"
        assert anonymous.headers["www-authenticate"] == 'Bearer realm="Widgets API"'
        landing = httpx.get(server.url + "/", headers={"Accept": "application/json"}, timeout=10).json()
        assert {api["name"]: api["mode"] for api in landing["apis"]}[API] == "example-only"
        state = httpx.get(server.url + "/__mock__/state", headers=auth, timeout=10).json()
        assert API not in state

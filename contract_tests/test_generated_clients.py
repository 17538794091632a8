"""The committed clients in generated_client/: fresh, strictly typed, installable, and usable as documented.

Freshness is checked the way openapi-python-client checks its own golden records: regenerate into a
temporary folder, compare with the committed tree, then type-check it.
"""

from __future__ import annotations

import importlib.metadata
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from .conftest import REPO
from .server import MockProcess

PYTHON = str(REPO / ".venv/bin/python")
REGENERATE = Path("generated_client/regenerate.py")
CLIENT_PACKAGES = sorted(str(path.relative_to(REPO)) for path in REPO.glob("generated_client/*_client/*_client"))
#: a description in openapi/cor.yaml and the generated file it ends up in
DESCRIPTION = "Updated workspace name."
DESCRIBED_IN = "generated_client/cor_client/cor_client/models/update_workspace_request.py"


def run(command: list[str], *, cwd: Path = REPO, env: dict[str, str] | None = None, timeout: float = 120) -> str:
    """Run ``command``; its combined output, or a failure showing it."""
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    output = result.stdout + result.stderr
    assert result.returncode == 0, f"{' '.join(command)} exited {result.returncode}:\n{output}"
    return output


def copy_of_the_repo(tmp_path: Path) -> Path:
    """What regenerating needs (specs, client configs, committed clients, the venv) in a folder of its own."""
    root = tmp_path / "repo"
    shutil.copytree(REPO / "openapi", root / "openapi")
    shutil.copytree(
        REPO / "generated_client",
        root / "generated_client",
        ignore=shutil.ignore_patterns("__pycache__", ".mypy_cache", ".ruff_cache", ".pdm-build", "build", "dist"),
    )
    (root / ".venv").symlink_to(REPO / ".venv")
    return root


def test_there_is_a_client_for_every_vendor_spec() -> None:
    vendor_specs = {path.stem for path in (REPO / "openapi").glob("*.yaml")} - {"mock_admin"}
    assert {Path(package).name.removesuffix("_client") for package in CLIENT_PACKAGES} == vendor_specs
    for api in vendor_specs:
        assert (REPO / "openapi/clients" / f"{api}.yaml").is_file()
        assert (REPO / "generated_client" / f"{api}_client" / "pyproject.toml").is_file()


def test_committed_clients_match_a_fresh_generation() -> None:
    output = run([PYTHON, str(REGENERATE), "--check"])
    assert "up to date" in output


def test_a_spec_change_without_make_client_fails_naming_the_files_and_the_command(tmp_path: Path) -> None:
    root = copy_of_the_repo(tmp_path)
    run([PYTHON, str(root / REGENERATE)], cwd=root)  # what `make client` runs: the copy starts in step
    spec = root / "openapi/cor.yaml"
    text = spec.read_text(encoding="utf-8")
    assert text.count(f"description: {DESCRIPTION}\n") == 1
    spec.write_text(text.replace(DESCRIPTION, "The workspace's new name."), encoding="utf-8")

    stale = subprocess.run(
        [PYTHON, str(root / REGENERATE), "--check"], cwd=root, capture_output=True, text=True, timeout=120
    )

    assert stale.returncode == 1, stale.stdout + stale.stderr
    assert re.findall(r"^  (?:changed|missing|extra): (\S+)", stale.stderr, re.MULTILINE) == [DESCRIBED_IN]
    assert "Run `make client`" in stale.stderr
    assert "+        name (str | Unset): The workspace's new name. Example:" in stale.stderr
    assert (REPO / "openapi/cor.yaml").read_text(encoding="utf-8").count(DESCRIPTION) == 1  # the real spec is untouched


def test_a_hand_edit_or_a_stray_file_in_a_client_fails_the_check(tmp_path: Path) -> None:
    root = copy_of_the_repo(tmp_path)
    package = root / "generated_client/cor_client/cor_client"
    (package / "client.py").write_text((package / "client.py").read_text() + "# tweaked\n")
    (package / "extra.py").write_text("")
    (package / "models/error.py").unlink()

    stale = subprocess.run(
        [PYTHON, str(root / REGENERATE), "--check"], cwd=root, capture_output=True, text=True, timeout=120
    )

    assert stale.returncode == 1
    assert "changed: generated_client/cor_client/cor_client/client.py" in stale.stderr
    assert "extra:   generated_client/cor_client/cor_client/extra.py" in stale.stderr
    assert "missing: generated_client/cor_client/cor_client/models/error.py" in stale.stderr


def test_generated_clients_pass_mypy_strict() -> None:
    # No config file: the project's own mypy config excludes generated_client/ and is not --strict.
    output = run([PYTHON, "-m", "mypy", "--strict", "--config-file=", *CLIENT_PACKAGES])
    assert output.startswith("Success: no issues found")


def readme_examples() -> list[str]:
    """The Python blocks of README.md's "Using the client" section: a script, then a test using the plugin."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Using the client\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, re.DOTALL)
    assert len(blocks) == 2, "README.md's Using the client section has a script and a test"
    return blocks


def test_readme_example_runs_with_the_client_pip_installed_in_a_fresh_venv(
    mock_server: MockProcess, tmp_path: Path
) -> None:
    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", "--without-pip", str(venv)])  # no system site-packages either
    python = str(venv / "bin/python")
    # The dev venv's pip installs into the new venv: the same as `pip install ./generated_client/cor_client`
    # run there, without bootstrapping a pip into it first. httpx and attrs come from the package index.
    run([sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "./generated_client/cor_client"])
    script = tmp_path / "example.py"
    script.write_text(readme_examples()[0], encoding="utf-8")
    env = {"PATH": os.environ["PATH"], "MOCK_URL": mock_server.url}

    located = run([python, "-c", "import cor_client; print(cor_client.__file__)"], cwd=tmp_path, env=env)
    read_changelog = (
        "import importlib.resources as r; print(r.files('cor_client').joinpath('CHANGELOG.md').read_text())"
    )
    shipped = run([python, "-c", read_changelog], cwd=tmp_path, env=env)
    output = run([python, str(script)], cwd=tmp_path, env=env)

    assert Path(located.strip()).is_relative_to(venv)
    assert shipped == (REPO / "openapi/changelog/cor.md").read_text(encoding="utf-8") + "\n"  # the package ships it
    assert output.splitlines() == [
        "5001 Marketing & Communications Team",
        "404 WorkspaceNotFoundError ZC001",
    ]


CONSUMER_TESTS = """
import httpx
import pytest
from cor_client import AuthenticatedClient


def test_a_typed_client_for_a_tenant_of_its_own(cor_client):
    assert isinstance(cor_client, AuthenticatedClient)


def test_a_tenant_of_its_own_starts_from_the_fixtures(mock_tenant):  # after the README's rename
    response = httpx.put(
        mock_tenant.api_url("cor") + "/workspaces/TEAMS-WS-12345",
        headers=mock_tenant.headers,
        json={"metadata": {"source": "MICROSOFT_TEAMS"}},
    )
    assert response.status_code == 200
    assert response.json()["name"] == "Marketing Team"


def test_one_server_for_the_session_started_with_the_ini_args(mock_api_server, mock_tenant):
    assert mock_tenant.url == mock_api_server.url
    assert mock_tenant.api_url("cor") == mock_api_server.url + "/v2/integrations"
    assert mock_api_server.process.args[-2:] == ["--api", "cor"]


def test_a_missing_client_says_how_to_install_it(request, monkeypatch):
    monkeypatch.setitem(__import__("sys").modules, "cor_client", None)
    with pytest.raises(pytest.fail.Exception, match="pip install <kit>/generated_client/cor_client"):
        request.getfixturevalue("cor_client")
"""


def test_pytest_plugin_gives_consuming_teams_a_mock_a_tenant_and_a_typed_client(tmp_path: Path) -> None:
    (tmp_path / "test_a_readme.py").write_text(readme_examples()[1], encoding="utf-8")
    (tmp_path / "test_consumer.py").write_text(CONSUMER_TESTS, encoding="utf-8")
    (tmp_path / "pytest.ini").write_text("[pytest]\nmock_server_args = --api cor\n", encoding="utf-8")
    # This checkout's plugin and client, whatever the venv's editable install points at.
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), str(REPO / "generated_client/cor_client")])}

    output = run(
        [PYTHON, "-m", "pytest", "-p", "mock_server.pytest_plugin", "-p", "no:cacheprovider", "-q"],
        cwd=tmp_path,
        env=env,
    )

    assert "5 passed" in output


def test_the_plugin_is_opt_in_not_an_entry_point() -> None:
    plugins = [entry.value for entry in importlib.metadata.entry_points(group="pytest11")]
    assert not any(value.startswith("mock_server") for value in plugins), plugins
    assert "pytest -p mock_server.pytest_plugin" in (REPO / "README.md").read_text(encoding="utf-8")

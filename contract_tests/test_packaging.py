"""The kit installed from its wheel, outside the checkout: the mock serves every API and the plugin works.

``installed_kit`` (conftest.py) builds the wheels offline and installs them into a fresh venv; every command
here runs there, in a temporary folder, without ``PYTHONPATH``.
"""

from __future__ import annotations

import uuid
import zipfile
from pathlib import Path

import httpx
from packaging.requirements import Requirement

from mock_server.process import MockProcess
from mock_server.registry import VENDORS

from .installed import REPO, InstalledKit, run
from .readme import code_blocks


def kit_wheel(kit: InstalledKit) -> Path:
    (wheel,) = kit.wheels.glob("api_contract_kit-*.whl")
    return wheel


def test_the_wheel_carries_every_spec_fixture_and_console_file_as_they_are_in_the_checkout(
    installed_kit: InstalledKit,
) -> None:
    with zipfile.ZipFile(kit_wheel(installed_kit)) as wheel:
        names = set(wheel.namelist())
        specs = sorted(REPO.glob("openapi/*.yaml"))
        fixtures = sorted(REPO.glob("mock_server/*/fixtures.yaml"))
        console = sorted(REPO.glob("mock_server/console/console.*"))
        assert specs and fixtures and len(console) == 3
        for path in specs:
            assert wheel.read(f"mock_server/openapi/{path.name}") == path.read_bytes()
        for path in [*fixtures, *console]:
            assert wheel.read(path.relative_to(REPO).as_posix()) == path.read_bytes()
    assert not [name for name in names if "/clients/" in name or name.startswith(("openapi/", "contract_tests/"))]


def test_the_wheel_depends_on_exactly_the_runtime_requirements(installed_kit: InstalledKit) -> None:
    script = "import importlib.metadata as m; print('\\n'.join(m.requires('api-contract-kit')))"
    declared = run([installed_kit.python, "-c", script], cwd=installed_kit.venv).split("\n")
    lines = (REPO / "requirements/mock.txt").read_text(encoding="utf-8").splitlines()
    wanted = [line for line in lines if line.strip() and not line.startswith("#")]
    assert sorted(str(Requirement(r)) for r in declared if r) == sorted(str(Requirement(r)) for r in wanted)


def test_the_installed_mock_serves_every_api_from_outside_the_checkout(
    installed_kit: InstalledKit, tmp_path: Path
) -> None:
    env = installed_kit.env()
    where = "import mock_server; print(mock_server.__file__)"
    located = run([installed_kit.python, "-c", where], cwd=tmp_path, env=env)
    assert Path(located.strip()).is_relative_to(installed_kit.venv)

    token = {"Authorization": f"Bearer packaging-{uuid.uuid4()}"}
    with MockProcess([str(installed_kit.bin / "contract-mock"), "--port", "0"], cwd=tmp_path, env=env) as server:
        health = httpx.get(server.url + "/__mock__/health", timeout=10).json()
        assert sorted(api["name"] for api in health["apis"]) == sorted(VENDORS)
        for vendor in VENDORS.values():
            spec = httpx.get(server.url + vendor.base_path + "/openapi.json", timeout=10)
            assert spec.status_code == 200 and spec.json()["info"]["title"] == vendor.spec["info"]["title"]
        reads = {
            "nexudus": "/api/collaboration/workspaces/123",
            "dreadnode": "/api/v1/org/example/ws/example",
        }
        for path in reads.values():
            assert httpx.get(server.url + path, headers=token, timeout=10).status_code == 200
        write = httpx.put(
            server.url + "/v2/integrations/workspaces/TEAMS-WS-12345",
            headers=token,
            json={"metadata": {"source": "MICROSOFT_TEAMS"}, "name": "Installed"},
            timeout=10,
        )
        assert write.status_code == 200 and write.json()["name"] == "Installed"
        console = httpx.get(server.url + "/__mock__/console", timeout=10)
        assert console.status_code == 200 and "<title>Mock console</title>" in console.text


def test_the_console_script_is_python_dash_m_mock_server(installed_kit: InstalledKit, tmp_path: Path) -> None:
    env = installed_kit.env()
    script = run([installed_kit.bin / "contract-mock", "--help"], cwd=tmp_path, env=env)
    module = run([installed_kit.python, "-m", "mock_server", "--help"], cwd=tmp_path, env=env)
    assert script.startswith("usage: contract-mock ")
    assert module.startswith("usage: python -m mock_server ")

    def options(usage: str) -> str:  # between the usage and the epilog, which name the program and wrap apart
        return usage.partition("options:")[2].partition("In the background:")[0]

    assert options(script) == options(module) and "--pid-file FILE" in options(script)


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


def test_the_plugin_and_the_mock_come_from_the_installed_kit(mock_api_server):
    import sys
    import mock_server
    assert mock_server.__file__.startswith(sys.prefix)
    assert mock_api_server.process.args[0] == sys.executable


def test_a_missing_client_says_how_to_install_it(request, monkeypatch):
    monkeypatch.setitem(__import__("sys").modules, "cor_client", None)
    with pytest.raises(pytest.fail.Exception, match="pip install <kit>/generated_client/cor_client"):
        request.getfixturevalue("cor_client")
"""


def test_the_installed_plugin_gives_consuming_teams_a_mock_a_tenant_and_a_typed_client(
    installed_kit: InstalledKit, tmp_path: Path
) -> None:
    readme_test = code_blocks("Using the client", "python")[1]
    (tmp_path / "test_a_readme.py").write_text(readme_test, encoding="utf-8")
    (tmp_path / "test_consumer.py").write_text(CONSUMER_TESTS, encoding="utf-8")
    (tmp_path / "pytest.ini").write_text("[pytest]\nmock_server_args = --api cor\n", encoding="utf-8")

    output = run(
        [installed_kit.python, "-m", "pytest", "-p", "mock_server.pytest_plugin", "-p", "no:cacheprovider", "-q"],
        cwd=tmp_path,
        env=installed_kit.env(),
    )

    assert "6 passed" in output


def test_the_plugin_is_opt_in_not_an_entry_point(installed_kit: InstalledKit) -> None:
    script = (
        "import importlib.metadata as m; d = m.distribution('api-contract-kit');"
        "print('\\n'.join(f'{e.group} {e.name} {e.value}' for e in d.entry_points))"
    )
    entry_points = run([installed_kit.python, "-c", script], cwd=installed_kit.venv).splitlines()
    assert entry_points == ["console_scripts contract-mock mock_server.__main__:main"]
    assert "pytest -p mock_server.pytest_plugin" in (REPO / "README.md").read_text(encoding="utf-8")

"""The committed clients in generated_client/: fresh, strictly typed, installable, and usable as documented.

Freshness is checked the way openapi-python-client checks its own golden records: regenerate into a
temporary folder, compare with the committed tree, then type-check it.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from .conftest import REPO
from .installed import InstalledKit
from .readme import code_blocks
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
    blocks = code_blocks("Using the client", "python")
    assert len(blocks) == 2, "README.md's Using the client section has a script and a test"
    return blocks


def test_readme_example_runs_with_the_client_pip_installed_in_a_fresh_venv(
    mock_server: MockProcess, installed_kit: InstalledKit, tmp_path: Path
) -> None:
    # The client as a consuming team installs it: from its wheel, into a venv outside the checkout, offline
    # (installed.py). `pip check` proves its declared dependencies are met by the versions the kit pins.
    python = str(installed_kit.python)
    run([sys.executable, "-m", "pip", "--python", python, "check"])
    script = tmp_path / "example.py"
    script.write_text(readme_examples()[0], encoding="utf-8")
    env = installed_kit.env(MOCK_URL=mock_server.url)

    located = run([python, "-c", "import cor_client; print(cor_client.__file__)"], cwd=tmp_path, env=env)
    read_changelog = (
        "import importlib.resources as r; print(r.files('cor_client').joinpath('CHANGELOG.md').read_text())"
    )
    shipped = run([python, "-c", read_changelog], cwd=tmp_path, env=env)
    output = run([python, str(script)], cwd=tmp_path, env=env)

    assert Path(located.strip()).is_relative_to(installed_kit.venv)
    assert shipped == (REPO / "openapi/changelog/cor.md").read_text(encoding="utf-8") + "\n"  # the package ships it
    assert output.splitlines() == [
        "5001 Marketing & Communications Team",
        "404 WorkspaceNotFoundError ZC001",
    ]

"""README.md's ``st run`` command, run as written against ``make mock``: it passes, and its cache is git-ignored."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from .conftest import REPO
from .readme import code_blocks
from .server import MockProcess

#: What the command reads, relative to where it runs (the repository root in the README).
CHECKOUT = ("openapi", ".venv", "schemathesis.toml")


def st_command() -> str:
    (command,) = [block for block in code_blocks("Running schemathesis yourself", "sh") if "/st run " in block]
    return command


def test_the_readme_st_run_command_passes_against_make_mock(mock_server: MockProcess, tmp_path: Path) -> None:
    # A folder laid out like the checkout, so that the run's .schemathesis/ cache lands here, not in it.
    for name in CHECKOUT:
        (tmp_path / name).symlink_to(REPO / name)
    result = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", st_command()],
        cwd=tmp_path,
        env={**os.environ, "MOCK_URL": mock_server.url},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "No issues found" in result.stdout
    assert (tmp_path / ".schemathesis").is_dir()


@pytest.mark.parametrize("path", [".schemathesis/x", "schemathesis-report/x", ".hypothesis/x", ".pytest_cache/x"])
def test_tool_caches_are_git_ignored(path: str) -> None:
    result = subprocess.run(["git", "check-ignore", "-q", path], cwd=REPO, check=False)
    assert result.returncode == 0, f"{path} is not ignored"

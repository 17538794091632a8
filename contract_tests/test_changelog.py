"""The changelogs in openapi/changelog/: fresh against the specs' git history, shipped by every client, and kept
fresh by ``make changelog`` when a commit changes a spec."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from . import changelog
from .conftest import REPO, ScratchRepo
from .spec_diff import git

VENDOR_APIS = sorted(path.stem for path in (REPO / "openapi").glob("*.yaml") if path.stem != "mock_admin")


def test_the_changelogs_are_fresh() -> None:
    if git(REPO, "rev-parse", "--is-shallow-repository").decode().strip() == "true":
        pytest.skip("a shallow clone lacks the specs' history (git fetch --unshallow)")
    expected = changelog.changelogs(REPO)
    committed = {path.stem: path.read_text(encoding="utf-8") for path in (REPO / changelog.FOLDER).glob("*.md")}

    assert committed.keys() == expected.keys(), "run `make changelog`"
    for name, text in expected.items():
        assert committed[name] == text, f"{changelog.FOLDER}/{name}.md is stale: run `make changelog` and `make client`"


@pytest.mark.parametrize("api", VENDOR_APIS)
def test_each_client_ships_its_changelog_and_links_it(api: str) -> None:
    client = REPO / "generated_client" / f"{api}_client"
    text = (REPO / changelog.FOLDER / f"{api}.md").read_text(encoding="utf-8")

    assert (client / f"{api}_client" / "CHANGELOG.md").read_text(encoding="utf-8") == text
    assert f"[CHANGELOG.md]({api}_client/CHANGELOG.md)" in (client / "README.md").read_text(encoding="utf-8")
    assert text.startswith("# ") and "\n## " in text


def check(repo: ScratchRepo) -> subprocess.CompletedProcess[str]:
    command = [str(repo.root / ".venv/bin/python"), "-m", "contract_tests.changelog", "--check"]
    return subprocess.run(command, cwd=repo.root, env=repo.env, capture_output=True, text=True, timeout=300)


def test_a_commit_that_changes_a_spec_carries_its_changelog(scratch_repo: ScratchRepo) -> None:
    scratch_repo.reset()
    cor = scratch_repo.root / changelog.FOLDER / "cor.md"

    def add_colour(spec: dict[str, Any]) -> None:
        colour = {"type": "string", "description": "A colour.", "example": "red"}
        spec["components"]["schemas"]["UpdateWorkspaceRequest"]["properties"]["colour"] = colour

    def remove_company_id(spec: dict[str, Any]) -> None:
        workspace = spec["components"]["schemas"]["Workspace"]
        del workspace["properties"]["company_id"]
        workspace["required"].remove("company_id")
        spec["info"]["version"] = "3.0.0"

    scratch_repo.edit_spec("cor", add_colour)
    scratch_repo.commit("cor: an optional colour, still 2.0.0")
    stale = check(scratch_repo)

    assert stale.returncode == 1
    assert "  stale:   openapi/changelog/cor.md" in stale.stderr
    assert "Run `make changelog`" in stale.stderr
    written = scratch_repo.make("changelog")
    assert written.returncode == 0, written.stderr
    assert "wrote openapi/changelog/cor.md" in written.stdout
    assert "Changed since, still as 2.0.0:\n\nNon-breaking:\n\n" in cor.read_text(encoding="utf-8")
    assert "PUT /workspaces/{id} request body: new optional field `colour`" in cor.read_text(encoding="utf-8")
    scratch_repo.commit("cor: its changelog", amend=True)
    assert check(scratch_repo).returncode == 0  # the committed changelog describes the commit it is in

    scratch_repo.edit_spec("cor", remove_company_id)
    assert check(scratch_repo).returncode == 1  # the working tree counts before it is committed
    assert scratch_repo.make("changelog").returncode == 0
    scratch_repo.commit("cor: 3.0.0 without company_id, with its changelog")
    text = cor.read_text(encoding="utf-8")

    assert check(scratch_repo).returncode == 0
    assert text.index("\n## 3.0.0\n") < text.index("\n## 2.0.0\n")
    section = text.split("\n## 3.0.0\n", 1)[1].split("\n## ", 1)[0]
    assert section.startswith("\nChanges since 2.0.0:\n\nBreaking:\n\n")
    assert "- PUT /workspaces/{id} 200 response: field `company_id` removed; clients that read it break" in section
    assert "colour" not in section  # 2.0.0's own change stays in 2.0.0


def test_a_shallow_clone_is_refused_with_the_fix(scratch_repo: ScratchRepo, tmp_path: Path) -> None:
    scratch_repo.reset()
    scratch_repo.commit("a second commit, so that depth 1 cuts history")
    shallow = tmp_path / "shallow"
    scratch_repo.git("clone", "-q", "--depth", "1", f"file://{scratch_repo.root}", str(shallow))
    for name in (".venv", "node_modules"):
        (shallow / name).symlink_to(REPO / name)

    result = subprocess.run(
        [str(shallow / ".venv/bin/python"), "-m", "contract_tests.changelog", "--check"],
        cwd=shallow,
        env=scratch_repo.env,
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert result.returncode == 2
    assert "a shallow clone lacks the specs' history: run `git fetch --unshallow` first" in result.stderr

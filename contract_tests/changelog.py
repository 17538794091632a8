"""A changelog per spec, ``openapi/changelog/<api>.md``, from the spec's git history: what ``make changelog`` writes.

    python -m contract_tests.changelog           # `make changelog`: write every changelog
    python -m contract_tests.changelog --check   # what the tests run: compare, write nothing

A spec's history is its content at each commit that changed it along the first-parent line of HEAD, then the
working tree's when it differs. Consecutive contents with the same ``info.version`` are one version, and each
version has one section: the changes from the previous version's last content to its own last content (for the
first version, from its first content), classified by :func:`spec_diff.compare`. Only the contents count, not
the commits, so a changelog reads the same whether a branch was merged, rebased or squashed, and needs no commit
hash or date: the commit that changes a spec can carry the changelog that describes it.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .spec_diff import (
    ROOT,
    SPEC_FOLDER,
    Change,
    SpecDiffError,
    compare,
    git,
    grouped,
    parse,
    places,
    read_blobs,
    spec_name,
    version_of,
    working_specs,
)
from .spec_tools import operations

FOLDER = f"{SPEC_FOLDER}/changelog"
EXIT_STALE = 1
EXIT_ERROR = 2
_NO_BLOB = "0" * 40


@dataclass
class Version:
    """One ``info.version`` of a spec: its first and last content, and the changes it brought."""

    version: str
    first: dict[str, Any]
    last: dict[str, Any]
    changes: list[Change] = field(default_factory=list)


def histories(root: Path) -> dict[str, list[str]]:
    """Each spec's contents in the order they were committed, oldest first, then the working tree's."""
    if git(root, "rev-parse", "--is-shallow-repository").decode().strip() == "true":
        raise SpecDiffError("a shallow clone lacks the specs' history: run `git fetch --unshallow` first")
    blobs: dict[str, list[str]] = defaultdict(list)
    if git(root, "rev-parse", "--verify", "--quiet", "HEAD^{commit}", check=False):
        log = git(
            root,
            *("log", "--first-parent", "--diff-merges=first-parent", "--reverse", "--raw", "--no-renames"),
            *("--no-abbrev", "--format=", "HEAD", "--", SPEC_FOLDER),
        ).decode()
        for line in log.splitlines():
            # :100644 100644 <old blob> <new blob> M<TAB>openapi/cor.yaml
            if not line.startswith(":") or "\t" not in line:
                continue
            info, path = line.split("\t", 1)
            name, blob = spec_name(path), info.split()[3]
            if name is not None and blob != _NO_BLOB and blobs[name][-1:] != [blob]:
                blobs[name].append(blob)
    texts = read_blobs(root, sorted({blob for chain in blobs.values() for blob in chain}))
    result = {}
    for name, text in working_specs(root).items():
        history = [texts[blob] for blob in blobs.get(name, [])]
        if history[-1:] != [text]:
            history.append(text)
        result[name] = history
    return result


def versions(name: str, history: Sequence[str]) -> list[Version]:
    """The contents of one spec, oldest first, as its versions: each run of the same ``info.version``."""
    found: list[Version] = []
    for index, text in enumerate(history):
        document = parse(text, f"{SPEC_FOLDER}/{name}.yaml (version {index + 1} in its history)")
        version = version_of(document)
        if found and found[-1].version == version:
            found[-1].last = document
        else:
            found.append(Version(version, document, document))
    return found


def changelogs(root: Path) -> dict[str, str]:
    """The Markdown changelog of every spec in ``openapi/``, by name; openapi-diff runs once for them all."""
    specs = {name: versions(name, history) for name, history in histories(root).items()}
    pairs = []
    for found in specs.values():
        for index, version in enumerate(found):
            pairs.append((found[index - 1].last if index else version.first, version.last))
    changes = iter(compare(root, pairs))
    for found in specs.values():
        for version in found:
            version.changes = next(changes)
    return {name: render(name, found) for name, found in specs.items()}


def render(name: str, found: Sequence[Version]) -> str:
    title = str((found[-1].last.get("info") or {}).get("title", name))
    lines = [
        f"# {title}: changelog",
        "",
        f"Every version of `{SPEC_FOLDER}/{name}.yaml` (its `info.version`), newest first, with the changes a client",
        "written for the version before sees, classified as `make spec-diff` classifies them: a breaking change",
        "needs a new major version. Written by `make changelog` from the spec's git history; do not edit.",
    ]
    for index in reversed(range(len(found))):
        version = found[index]
        lines += ["", f"## {version.version}", ""]
        if index == 0:
            calls = [f"`{method.upper()} {path}`" for path, method, _ in sorted(operations(version.first))]
            noun = "operation" if len(calls) == 1 else "operations"
            lines.append(f"First version, with {len(calls)} {noun}: {', '.join(calls)}.")
            if version.changes:
                lines += ["", f"Changed since, still as {version.version}:"]
        elif not version.changes:
            lines.append(f"No change a client can see since {found[index - 1].version}.")
        else:
            lines.append(f"Changes since {found[index - 1].version}:")
        groups = grouped(version.changes)
        for breaking, heading in ((True, "Breaking"), (False, "Non-breaking")):
            items = [
                f"- {places(wheres, limit=None)}: {change.message} (`{change.pointer}`)"
                for change, wheres in groups
                if change.breaking is breaking
            ]
            if items:
                lines += ["", f"{heading}:", "", *items]
    return "\n".join(lines) + "\n"


def run(root: Path, *, check: bool) -> int:
    expected = {f"{FOLDER}/{name}.md": text for name, text in changelogs(root).items()}
    folder = root / FOLDER
    present = {f"{FOLDER}/{path.name}" for path in folder.glob("*.md")} if folder.is_dir() else set()
    if check:
        stale = [path for path, text in sorted(expected.items()) if not _matches(root / path, text)]
        extra = sorted(present - expected.keys())
        if stale or extra:
            lines = [f"{FOLDER}/ does not match the specs' history:"]
            lines += [f"  stale:   {path}" for path in stale]
            lines += [f"  extra:   {path}  (no spec of that name)" for path in extra]
            lines += [
                "",
                "Run `make changelog` and `make client`, then commit openapi/changelog/ and generated_client/.",
            ]
            print("\n".join(lines), file=sys.stderr)
            return EXIT_STALE
        print(f"{FOLDER}/ is up to date with the specs' history ({len(expected)} changelogs)")
        return 0
    folder.mkdir(parents=True, exist_ok=True)
    for path in sorted(present - expected.keys()):
        (root / path).unlink()
        print(f"removed {path} (no spec of that name)")
    for path, text in sorted(expected.items()):
        if not _matches(root / path, text):
            (root / path).write_text(text, encoding="utf-8")
            print(f"wrote {path}")
    return 0


def _matches(path: Path, text: str) -> bool:
    return path.is_file() and path.read_text(encoding="utf-8") == text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m contract_tests.changelog", description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="compare with the committed changelogs; write nothing")
    args = parser.parse_args(argv)
    try:
        return run(ROOT, check=args.check)
    except SpecDiffError as exc:
        print(f"changelog: {exc}", file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())

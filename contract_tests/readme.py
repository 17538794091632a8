"""The code blocks of README files that tests run as written, so that the documentation cannot go stale."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"
HEADING = re.compile(r"^(#+) (.*)$")


def code_blocks(section: str, language: str, *, readme: Path = README) -> list[str]:
    """The ``language`` fenced blocks of the section headed ``section`` (any level), its subsections included."""
    blocks: list[str] = []
    level = 0  # the level of ``section`` while inside it, else 0
    fence: list[str] | None = None  # the lines of the block being read, if it is one of ``language``
    in_fence = False
    for line in readme.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            if in_fence and fence is not None:
                blocks.append("".join(f"{text}\n" for text in fence))
            in_fence, fence = not in_fence, ([] if not in_fence and level and line == f"```{language}" else None)
            continue
        if in_fence:
            if fence is not None:
                fence.append(line)
            continue
        heading = HEADING.match(line)
        if heading and level and len(heading.group(1)) <= level:
            break
        if heading and heading.group(2) == section:
            level = len(heading.group(1))
    assert level, f"{readme.name} has no section {section!r}"
    return blocks

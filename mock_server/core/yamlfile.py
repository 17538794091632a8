"""YAML reading for specs, fixtures and auth files: libyaml's C loader where PyYAML has it.

The pure-Python loader took most of the mock's start-up (about 0.3 s for the four specs).
"""

from __future__ import annotations

from collections.abc import Callable
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import IO, Any

import yaml

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load(stream: IO[str]) -> Any:
    """Parse one YAML document safely (no arbitrary objects), like ``yaml.safe_load``."""
    return yaml.load(stream, Loader=_Loader)


class FixtureError(Exception):
    """A user's file (fixtures, auth) is unusable; ``str()`` is the message printed at start-up (exit status 2)."""

    def __init__(self, file: str, entry: str, problem: str) -> None:
        self.file, self.entry, self.problem = file, entry, problem
        super().__init__(f"{file}: {entry}: {problem}")


class _Refused(Exception):
    pass


def load_file(path: Path | Traversable, error: Callable[[str, str, str], Exception]) -> Any:
    """Load a user's YAML file (fixtures, auth file), refusing anchors and aliases.

    An alias can make a few hundred bytes expand into gigabytes once the document is walked (a "billion
    laughs"), and no fixture needs one. Failures raise ``error(file, "(file)", problem)``.
    """
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as exc:
        raise error(str(path), "(file)", f"cannot be read: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise error(str(path), "(file)", f"is not UTF-8 (byte {exc.start})") from exc
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
                line = event.start_mark.line + 1 if event.start_mark is not None else "?"
                raise _Refused(f"uses a YAML anchor or alias (line {line}), which is not allowed")
        return yaml.load(text, Loader=_Loader)
    except _Refused as exc:
        raise error(str(path), "(file)", str(exc)) from None
    except yaml.YAMLError as exc:
        raise error(str(path), "(file)", f"is not valid YAML: {' '.join(str(exc).split())}") from exc

"""YAML reading for specs, fixtures and auth files: libyaml's C loader where PyYAML has it.

The pure-Python loader took most of the mock's start-up (about 0.3 s for the four specs).
"""

from __future__ import annotations

from typing import IO, Any

import yaml

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load(stream: IO[str]) -> Any:
    """Parse one YAML document safely (no arbitrary objects), like ``yaml.safe_load``."""
    return yaml.load(stream, Loader=_Loader)

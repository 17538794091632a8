"""What each of ``--workers`` processes imports by name: uvicorn starts workers afresh and pickles their settings,
so the app and the HTTP protocol class are rebuilt here from the parent's command line."""

from __future__ import annotations

import json
import os
from typing import Any

from .__main__ import WORKER_ARGS, build, parse_args


def app() -> Any:
    """uvicorn's app factory in a worker: the mock as the parent's arguments describe it."""
    return build(parse_args(json.loads(os.environ[WORKER_ARGS])))


def __getattr__(name: str) -> Any:
    """``Protocol``: the guarded HTTP protocol, made for the parent's header timeout (a class made at run time,
    which cannot be pickled to the worker)."""
    if name == "Protocol":
        from .http import guarded_protocol

        return guarded_protocol(parse_args(json.loads(os.environ[WORKER_ARGS])).header_timeout)
    raise AttributeError(name)

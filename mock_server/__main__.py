"""``python -m mock_server`` (or ``contract-mock``): serve the mock APIs on one port, in one process."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import warnings
from pathlib import Path

from .core.fixtures import FixtureError
from .core.store import DEFAULT_MAX_TENANTS

EXIT_BAD_INPUT = 2


def program() -> str:
    """How the user called us, for usage lines: ``python -m mock_server`` or the console script's name."""
    name = os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else ""
    return "python -m mock_server" if name in ("", "__main__.py") else name


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog=program(), description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="interface to listen on (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8080, help="port to listen on; 0 picks a free one (default: 8080)")
    parser.add_argument("--api", action="append", metavar="NAME", help="serve only this API (repeatable)")
    parser.add_argument("--fixtures", type=Path, metavar="FILE", help="YAML fixtures replacing the defaults per API")
    parser.add_argument(
        "--auth-file",
        type=Path,
        metavar="FILE",
        help="YAML credential → {tenant, role}: only these credentials are accepted",
    )
    parser.add_argument(
        "--max-tenants",
        type=int,
        default=DEFAULT_MAX_TENANTS,
        help=f"live tenants kept before the oldest is evicted (default: {DEFAULT_MAX_TENANTS})",
    )
    parser.add_argument(
        "--validate-responses",
        action="store_true",
        help="answer 500 when a response breaks its spec (the tests turn this on)",
    )
    parser.add_argument(
        "--rate-limits",
        action="store_true",
        help="enforce each API's documented rate limits per credential (Nexudus: 409 with Retry-After)",
    )
    parser.add_argument("--workers", type=int, default=1, help="must be 1: state lives in this one process")
    parser.add_argument("--log-level", default="info", choices=["debug", "info", "warning", "error"])
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.workers != 1:
        print(
            "mock_server: --workers must be 1: the state is in memory and cannot be shared between processes; "
            "run one mock per port instead",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    # One access-log line per request is on the hot path: skip the caller lookup and the thread/process
    # fields the format never shows (the logging docs' "Optimization" section).
    logging._srcfile = None
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False
    logging.basicConfig(
        level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr
    )
    # connexion imports starlette's test client, which warns about httpx on every start; not ours to fix.
    warnings.filterwarnings("ignore", message=".*httpx.*")
    from .app import create_app  # after argument checks: importing connexion takes a moment

    try:
        app = create_app(
            args.api,
            fixtures_file=args.fixtures,
            auth_file=args.auth_file,
            validate_responses=args.validate_responses,
            max_tenants=args.max_tenants,
            rate_limits=args.rate_limits,
        )
    except FixtureError as exc:
        print(f"mock_server: bad fixtures: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except ValueError as exc:
        print(f"mock_server: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT

    import uvicorn

    # A long keep-alive: under load a client's next request can sit unread past uvicorn's 5 s default, and
    # closing the connection then drops that request (parallel CI jobs share one mock).
    uvicorn.run(
        app,
        host=args.host,
        port=args.port,
        log_level=args.log_level,
        access_log=False,
        lifespan="on",
        server_header=False,
        timeout_keep_alive=75,
        # A local test double: no reverse proxy in front whose X-Forwarded-* headers need trusting.
        proxy_headers=False,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

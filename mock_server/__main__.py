"""``python -m mock_server`` (or ``contract-mock``): serve the mock APIs on one port, in one process.

``wait`` and ``stop`` run it as a background service (a CI job's): see ``mock_server/service.py``.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import resource
import sys
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .core.fixtures import FixtureError
from .core.store import (
    DEFAULT_JOURNAL_BUDGET,
    DEFAULT_JOURNAL_SIZE,
    DEFAULT_MAX_TENANTS,
    DEFAULT_STATE_BUDGET,
    DEFAULT_TENANT_TTL,
)

if TYPE_CHECKING:
    from .landing import Landing

EXIT_BAD_INPUT = 2
DEFAULT_HEADER_TIMEOUT = 10.0


LIMITS = """\
limits (every request's cost is bounded; none of these is ever a 500):
  request body        1 MiB (413); JSON nested at most 64 deep, numbers at most 100 digits, no NaN/Infinity,
                      no duplicate keys, no escaped unpaired surrogate such as "\\ud800" (I-JSON, RFC 7493): 400
  request headers     16 KiB in all (431); a client that has not sent all its headers within --header-timeout
                      seconds is disconnected
  validation          at most 100 violations are listed, then "and more"
  integers            123.0 counts as the integer 123; int32/int64 formats are ranges
  tenant state        --state-budget bytes of JSON each (a write past it: 413, nothing changed)
  journal             --journal-budget bytes and --journal-size entries per tenant; request and response
                      bodies cut at 4 KiB, headers at 4 KiB
  tenants             --max-tenants; created only by accepted writes; the least recently used is evicted

control API roles: without --auth-file every credential may change its own tenant and reset all tenants;
with it, PUT /__mock__/state, POST /__mock__/reset and DELETE /__mock__/requests need an entry with admin: true.
"""
#: uvicorn's own status when the server cannot start (a port in use, say), as ``uvicorn.run`` exits.
EXIT_STARTUP_FAILURE = 3


def program() -> str:
    """How the user called us, for usage lines: ``python -m mock_server`` or the console script's name."""
    name = os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else ""
    return "python -m mock_server" if name in ("", "__main__.py") else name


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog=program(),
        description=__doc__.split("\n", 1)[0],
        epilog=LIMITS + f"\nIn the background: {program()} wait --help, {program()} stop --help.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--host", default="127.0.0.1", help="interface to listen on (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8080, help="port to listen on; 0 picks a free one (default: 8080)")
    parser.add_argument("--api", action="append", metavar="NAME", help="serve only this API (repeatable)")
    parser.add_argument("--fixtures", type=Path, metavar="FILE", help="YAML fixtures replacing the defaults per API")
    parser.add_argument(
        "--auth-file",
        type=Path,
        metavar="FILE",
        help="YAML credential → {tenant, role, admin}: only these credentials are accepted",
    )
    parser.add_argument(
        "--max-tenants",
        type=int,
        default=DEFAULT_MAX_TENANTS,
        help=f"live tenants kept before the oldest is evicted (default: {DEFAULT_MAX_TENANTS})",
    )
    parser.add_argument(
        "--state-budget",
        type=int,
        default=DEFAULT_STATE_BUDGET,
        metavar="BYTES",
        help=f"largest state of one tenant, as JSON (default: {DEFAULT_STATE_BUDGET})",
    )
    parser.add_argument(
        "--journal-size",
        type=int,
        default=DEFAULT_JOURNAL_SIZE,
        metavar="N",
        help=f"requests kept in each tenant's journal (default: {DEFAULT_JOURNAL_SIZE})",
    )
    parser.add_argument(
        "--journal-budget",
        type=int,
        default=DEFAULT_JOURNAL_BUDGET,
        metavar="BYTES",
        help=f"largest request journal of one tenant (default: {DEFAULT_JOURNAL_BUDGET})",
    )
    parser.add_argument(
        "--header-timeout",
        type=float,
        default=DEFAULT_HEADER_TIMEOUT,
        metavar="SECONDS",
        help=f"drop a connection whose request headers are not complete by then (default: {DEFAULT_HEADER_TIMEOUT:g})",
    )
    parser.add_argument(
        "--validate-responses",
        action="store_true",
        help="answer 500 when a response breaks its spec (the tests turn this on)",
    )
    parser.add_argument(
        "--access-log",
        action="store_true",
        help="log one line per request (off by default: the journal already keeps each tenant's requests)",
    )
    parser.add_argument(
        "--rate-limits",
        action="store_true",
        help="enforce each API's documented rate limits per credential (Nexudus: 409 with Retry-After)",
    )
    parser.add_argument(
        "--pid-file",
        type=Path,
        metavar="FILE",
        help="write this process's id to FILE (for `wait --pid-file` and `stop`); removed when the mock stops",
    )
    parser.add_argument(
        "--store",
        metavar="URL",
        help="keep the state in Redis (or Valkey) at redis://host:port/db, shared by every worker and instance "
        "that names it (default: in this process's memory)",
    )
    parser.add_argument(
        "--tenant-ttl",
        type=float,
        default=DEFAULT_TENANT_TTL,
        metavar="SECONDS",
        help=f"with --store: forget a tenant unused for this long (default: {DEFAULT_TENANT_TTL:g}, a day)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        help="processes serving the port; more than 1 needs --store (default: 1)",
    )
    parser.add_argument("--log-level", default="info", choices=["debug", "info", "warning", "error"])
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in ("wait", "stop"):
        from . import service

        return service.main(argv, program())
    args = parse_args(argv)
    args.argv = argv
    if args.workers < 1:
        print("mock_server: --workers must be at least 1", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.workers != 1 and args.store is None:
        print(
            "mock_server: --workers must be 1 with the in-memory store: its state cannot be shared between "
            "processes; add --store redis://host:port/db to share it, or run one mock per port",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    if args.pid_file is not None:
        from . import service

        # Written first and removed only by a clean shutdown: a mock that cannot start (bad fixtures, a port in
        # use) leaves it naming a dead process, so that `wait --pid-file` fails at once instead of timing out.
        service.write_pid_file(args.pid_file)
    # The access log is on the hot path when turned on: skip the thread/process fields the format never
    # shows (the logging docs' "Optimization" section).
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False
    logging.basicConfig(
        level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr
    )
    # connexion imports starlette's test client, which warns about httpx on every start; not ours to fix.
    warnings.filterwarnings("ignore", message=".*httpx.*")
    # After the argument checks: importing connexion takes a moment.
    from .app import select
    from .core.admin import ADMIN
    from .landing import Landing

    try:
        app = build(args)
    except FixtureError as exc:
        print(f"mock_server: bad fixtures: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except ValueError as exc:
        print(f"mock_server: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    return serve(app, args, Landing.of(select(args.api).values(), ADMIN, __version__))


def build(args: argparse.Namespace) -> Any:
    """The mock's ASGI app as the arguments describe it."""
    from .app import create_app

    return create_app(
        args.api,
        fixtures_file=args.fixtures,
        auth_file=args.auth_file,
        validate_responses=args.validate_responses,
        max_tenants=args.max_tenants,
        state_budget=args.state_budget,
        journal_size=args.journal_size,
        journal_budget=args.journal_budget,
        rate_limits=args.rate_limits,
        access_log=args.access_log,
        store=args.store,
        tenant_ttl=args.tenant_ttl,
    )


#: What a worker's server shares with the single-process one (the rest is uvicorn's default).
WORKER_SETTINGS = (
    "loop",
    "host",
    "port",
    "log_level",
    "access_log",
    "lifespan",
    "server_header",
    "timeout_keep_alive",
    "proxy_headers",
)


def serve(app: Any, args: argparse.Namespace, landing: Landing) -> int:
    """Run uvicorn until it is stopped; print the APIs' URLs once it listens. The exit status, as uvicorn.run's."""
    import uvicorn

    from .http import guarded_protocol

    # Each connection is a file descriptor: allow as many as the system lets this process have.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))

    class Server(uvicorn.Server):
        """uvicorn's server, printing the landing page's listing with the port it actually got (``--port 0``)."""

        async def startup(self, sockets: Any = None) -> None:
            await super().startup(sockets=sockets)
            if self.started and self.servers:
                port = self.servers[0].sockets[0].getsockname()[1]
                host = f"[{args.host}]" if ":" in args.host else args.host
                print("\n".join(landing.lines(f"http://{host}:{port}")), flush=True)

        async def shutdown(self, sockets: Any = None) -> None:
            await super().shutdown(sockets=sockets)
            # Here rather than in a `finally`: uvicorn re-raises the SIGTERM that stopped it once it has shut
            # down, which ends the process at once.
            if args.pid_file is not None:
                from . import service

                service.remove_pid_file(args.pid_file)

    config = uvicorn.Config(
        app,
        http=guarded_protocol(args.header_timeout),
        loop="uvloop",
        host=args.host,
        port=args.port,
        log_level=args.log_level,
        access_log=False,
        lifespan="on",
        server_header=False,
        # A long keep-alive: under load a client's next request can sit unread past uvicorn's 5 s default, and
        # closing the connection then drops that request (parallel CI jobs share one mock).
        timeout_keep_alive=75,
        # A local test double: no reverse proxy in front whose X-Forwarded-* headers need trusting.
        proxy_headers=False,
    )
    if args.workers > 1:
        return serve_workers(config, args, landing)
    server = Server(config)
    server.run()
    return 0 if server.started else EXIT_STARTUP_FAILURE


#: Where each worker process builds its app: named, not imported, as uvicorn imports it afresh in every worker.
WORKER_MODULE = "mock_server.worker"
#: The environment variable that hands the parent's arguments to the workers, as a JSON list.
WORKER_ARGS = "MOCK_SERVER_WORKER_ARGS"


def serve_workers(base: Any, args: argparse.Namespace, landing: Landing) -> int:
    """Run ``--workers`` processes on one listening socket (uvicorn's supervisor) until stopped.

    The supervisor binds the port, so the listing can name it at once; each worker builds its own app
    (and its own connections to the store) from the same arguments.
    """
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    os.environ[WORKER_ARGS] = json.dumps(args.argv)
    settings = {name: getattr(base, name) for name in WORKER_SETTINGS}
    config = uvicorn.Config(
        f"{WORKER_MODULE}:app",
        factory=True,
        workers=args.workers,
        http=f"{WORKER_MODULE}:Protocol",
        **settings,
    )
    sock = config.bind_socket()
    # Listening before the workers have started: connections wait in the backlog instead of being refused.
    sock.listen(config.backlog)
    port = sock.getsockname()[1]
    host = f"[{args.host}]" if ":" in args.host else args.host
    print("\n".join(landing.lines(f"http://{host}:{port}")), flush=True)
    try:
        Multiprocess(config, sockets=[sock]).run()
    finally:
        if args.pid_file is not None:
            from . import service

            service.remove_pid_file(args.pid_file)
    return 0


if __name__ == "__main__":
    sys.exit(main())

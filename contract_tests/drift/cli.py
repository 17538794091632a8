"""The commands of ``python -m contract_tests.drift``: hold the mock to the live API (``run``) or to a recording
of it (``replay``).

``make drift API=cor`` and ``make drift-replay API=cor CASSETTE=path`` call it. Exit status: 0 when the mock
answered every request as live did, 1 when it did not, 2 when the run cannot start (the live API not configured,
an unknown API, a cassette that cannot be read).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import pytest

from .. import cassette
from ..contract import REPO, REPORTS, Live, Spec, vendor_specs
from ..spec_tools import operations
from . import report
from .session import DEFAULTS, EMPTY, Drift

LIVE_CASES = Path(__file__).with_name("live_cases.py")
VENDOR_EXAMPLES = REPO / "contract_tests" / "vendor_examples"


class DriftFixture:
    """Hands the run to ``live_cases.py`` as its ``drift`` fixture."""

    def __init__(self, drift: Drift) -> None:
        self.run = drift

    @pytest.fixture(scope="session")
    def drift(self) -> Drift:
        return self.run


def _spec(name: str) -> Spec:
    specs = {spec.name: spec for spec in vendor_specs()}
    if name not in specs:
        raise SystemExit(_usage(f"unknown API {name!r} (known: {', '.join(specs)})"))
    return specs[name]


def _usage(message: str) -> int:
    print(f"drift: {message}", file=sys.stderr)
    return 2


def run(spec: Spec, reports: Path, record: Path | None) -> int:
    live = Live(spec, os.environ)
    reasons = sorted(
        {reason for path, method, _ in operations(spec.document) if (reason := live.skip_reason(method, path))}
    )
    if reasons:
        return _usage(f"the live {spec.name} API is not configured for a drift run:\n  " + "\n  ".join(reasons))
    recorder = live.recorder(record) if record else None
    os.environ["CONTRACT_API"] = spec.name  # live_cases.py reads the one API to run from it
    # Live runs last as long as the rate limit makes them: no per-test timeout. This process imported the harness
    # before pytest started, so pytest cannot rewrite its asserts, and says so: nothing to act on.
    arguments = [str(LIVE_CASES), "-p", "no:cacheprovider", "-q", "--no-header", "-o", "timeout=0"]
    arguments += ["-W", "ignore::pytest.PytestAssertRewriteWarning"]
    with Drift(spec, secrets=(live.token,), recorder=recorder) as drift:
        status = pytest.main(arguments, plugins=[DriftFixture(drift)])
    if recorder is not None:
        recorder.write()
        print(f"cassette: {record} ({len(recorder.exchanges)} exchanges)")
    files = report.write(drift, reports, source=f"the live API ({drift.masker.text(live.base_url)})")
    if status != pytest.ExitCode.OK:
        print(f"drift: the run stopped early (pytest exit status {int(status)}); the reports cover what ran")
        return 1
    return _finish(drift, files)


def replay(spec: Spec, reports: Path, path: Path, start: str) -> int:
    try:
        exchanges = cassette.read(path, spec.base_path)
    except cassette.CassetteError as exc:
        return _usage(str(exc))
    with Drift(spec, start=start) as drift:
        for exchange in exchanges:
            drift.process(exchange)
    return _finish(drift, report.write(drift, reports, source=f"the cassette {path}"))


def docs_cassette(spec: Spec, output: Path) -> int:
    """Write the vendor docs' request/response examples of ``spec`` as a cassette."""
    labels = {
        operation["operationId"]: f"{method.upper()} {path}" for path, method, operation in operations(spec.document)
    }
    exchanges = cassette.from_docs(VENDOR_EXAMPLES / f"{spec.name}.yaml", spec.base_path, labels)
    comment = (
        f"The request/response examples of the {spec.name} docs (contract_tests/vendor_examples/{spec.name}.yaml)."
    )
    cassette.write(output, exchanges, base_url=spec.document["servers"][0]["url"], comment=comment)
    print(f"cassette: {output} ({len(exchanges)} exchanges)")
    return 0


def _finish(drift: Drift, files: dict[str, Path]) -> int:
    differences = drift.differences
    found = report.count(len(differences), "difference")
    print(f"drift {drift.spec.name}: {report.count(drift.cases, 'request')}, {found}")
    for operation, result in drift.results.items():
        kinds: dict[str, int] = {}
        for difference in result.differences:
            kinds[difference.kind] = kinds.get(difference.kind, 0) + 1
        summary = ", ".join(f"{kind} {count}" for kind, count in sorted(kinds.items()))
        print(
            f"  {operation}: {report.count(result.cases, 'request')}" + (f"; differences: {summary}" if summary else "")
        )
    print("reports: " + ", ".join(str(path) for path in files.values()))
    return 1 if differences else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m contract_tests.drift", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    live = commands.add_parser("run", help="send one generated request stream to the live API and to the mock")
    replayed = commands.add_parser("replay", help="send a cassette's requests to the mock, compare with its answers")
    docs = commands.add_parser("docs-cassette", help="write the vendor docs' examples as a cassette")
    for command in (live, replayed, docs):
        command.add_argument("--api", required=True, help="the API, named after its spec (cor for openapi/cor.yaml)")
    for command in (live, replayed):
        command.add_argument("--reports", type=Path, default=REPORTS, help="where drift-<api>.{json,md,xml} go")
    live.add_argument("--record", type=Path, help="also save the live exchanges, masked, as a cassette here")
    replayed.add_argument("--cassette", type=Path, required=True, help="a HAR file (make drift RECORD=...)")
    replayed.add_argument(
        "--start",
        choices=(EMPTY, DEFAULTS),
        default=EMPTY,
        help="an empty tenant that learns from the cassette (recordings), or the default fixtures (the docs)",
    )
    docs.add_argument("--output", type=Path, required=True)
    args = parser.parse_args(argv)
    spec = _spec(args.api)
    if args.command == "run":
        return run(spec, args.reports, args.record)
    if args.command == "replay":
        return replay(spec, args.reports, args.cassette, args.start)
    return docs_cassette(spec, args.output)

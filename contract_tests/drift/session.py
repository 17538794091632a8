"""A drift run: each exchange with the live API (sent now, or read from a cassette) replayed to the mock, compared.

The mock is the API's app served on a free loopback port, with strict auth: one credential, a fresh tenant. The
live credential of a request becomes that tenant's (in a cassette it is already ``[Filtered]``); any other
credential (the negative cases' missing or spoilt ones) is sent as it is, so the mock refuses it as live does.
Requests reach the mock one at a time, in the order they reached the live API, so both states evolve together.
"""

from __future__ import annotations

import base64
import tempfile
import uuid
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

import requests
import yaml

from mock_server.app import create_app

from ..cassette import MASK, Exchange, Masker, Recorder, Request, Response, from_schemathesis
from ..contract import Live, Spec, bearer, control_base_path
from ..server import serve
from ..spec_tools import operations
from .compare import Finding, Rules, compare, documented_headers
from .learn import learner, primer_cases

#: The mock tenant's name, and the user of its Basic credential.
TENANT = "drift"
#: Headers the transport sets for each connection: left to the client that sends to the mock.
HOP_BY_HOP = frozenset({"host", "content-length", "connection", "transfer-encoding"})
#: Where a replay starts: an empty tenant that learns from the cassette, or the mock's default fixtures.
EMPTY, DEFAULTS = "empty", "defaults"


@dataclass(frozen=True)
class Difference:
    operation: str
    live_status: int | None
    mock_status: int | None
    kind: str
    detail: str
    #: Masked: credentials read ``[Filtered]``.
    request: Request


@dataclass
class OperationResult:
    cases: int = 0
    differences: list[Difference] = field(default_factory=list)


class MockTenant:
    """The mock a run compares with, and its one tenant; state goes through the control API."""

    def __init__(self, spec: Spec, directory: Path) -> None:
        self.spec = spec
        self.token = f"{TENANT}-{uuid.uuid4().hex}"
        accounts = {self.token: {"tenant": TENANT, "admin": True}, f"{TENANT}:{self.token}": {"tenant": TENANT}}
        auth_file = directory / "auth.yaml"
        auth_file.write_text(yaml.safe_dump(accounts), encoding="utf-8")
        self.app = create_app([spec.name], auth_file=auth_file)
        self.http = requests.Session()
        self.origin = ""

    def credential(self, value: str) -> str:
        """A header value as the mock gets it: the masked live credential becomes the tenant's own."""
        if MASK not in value:
            return value
        scheme, _, rest = value.partition(" ")
        if scheme.lower() == "basic" and rest.strip() == MASK:
            return "Basic " + base64.b64encode(f"{TENANT}:{self.token}".encode()).decode()
        return value.replace(MASK, self.token)

    def send(self, request: Request) -> Response:
        headers = {name: self.credential(value) for name, value in request.headers if name.lower() not in HOP_BY_HOP}
        url = self.origin + self.spec.base_path + request.path
        prepared = requests.Request(request.method, url, headers=headers, data=request.body).prepare()
        answer = self.http.send(prepared, allow_redirects=False, timeout=60)
        return Response(answer.status_code, tuple(answer.headers.items()), answer.content)

    def _control(self, method: str, json: Any = None) -> requests.Response:
        url = self.origin + control_base_path() + "/state"
        return self.http.request(method, url, json=json, headers=bearer(self.token), timeout=60)

    def state(self) -> dict[str, Any]:
        answer = self._control("GET")
        answer.raise_for_status()
        state: dict[str, Any] = answer.json()[self.spec.name]
        return state

    def replace_state(self, state: dict[str, Any]) -> str | None:
        """Write the API's state; the mock's objection if its fixture checks refuse it."""
        answer = self._control("PUT", {self.spec.name: state})
        if answer.status_code == 200:
            return None
        problems = answer.json().get("errors") or [{"field": "", "message": answer.text}]
        return "; ".join(f"{p.get('field')}: {p.get('message')}" for p in problems)


class Drift:
    """One run over one API. ``secrets`` are masked in what the run reports and sends; ``recorder`` (if any)
    keeps each exchange for a cassette."""

    def __init__(
        self, spec: Spec, *, secrets: tuple[str, ...] = (), start: str = EMPTY, recorder: Recorder | None = None
    ) -> None:
        self.spec = spec
        self.rules = Rules.of(spec.document)
        self.learner = learner(spec)
        self.masker = Masker(secrets=secrets)
        self.start = start
        self.recorder = recorder
        self.known: set[tuple[Any, ...]] = set()
        self.results = {f"{method.upper()} {path}": OperationResult() for path, method, _ in operations(spec.document)}
        self._stack = ExitStack()
        self.tenant: MockTenant | None = None

    def __enter__(self) -> Drift:
        directory = Path(self._stack.enter_context(tempfile.TemporaryDirectory(prefix="drift-")))
        tenant = MockTenant(self.spec, directory)
        tenant.origin = self._stack.enter_context(serve(tenant.app))
        self._stack.callback(tenant.http.close)
        if self.start == EMPTY:
            problem = tenant.replace_state(self.learner.empty(tenant.state()))
            if problem:
                raise RuntimeError(f"the mock refused an empty {self.spec.name} state: {problem}")
        self.tenant = tenant
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self._stack.close()

    @property
    def cases(self) -> int:
        return sum(result.cases for result in self.results.values())

    @property
    def differences(self) -> list[Difference]:
        return [difference for result in self.results.values() for difference in result.differences]

    def process(self, exchange: Exchange) -> None:
        """Learn what the live answer shows, send the same request to the mock, and compare the answers."""
        assert self.tenant is not None, "use the run as a context manager"
        if self.recorder is not None:
            self.recorder.add(exchange)
        exchange = self.masker.exchange(exchange)
        findings = []
        problem = self._learn(exchange)
        if problem:
            findings.append(Finding("learning", f"the mock's fixtures refuse what live shows: {problem}"))
        answer = self.tenant.send(exchange.request)
        document = self.spec.document
        headers = documented_headers(document, exchange.operation, exchange.response.status)
        findings += compare(self.rules, exchange.request, exchange.response, answer, headers)
        result = self.results.setdefault(exchange.operation, OperationResult())
        result.cases += 1
        for finding in findings:
            result.differences.append(
                Difference(
                    exchange.operation,
                    exchange.response.status,
                    answer.status,
                    finding.kind,
                    finding.detail,
                    exchange.request,
                )
            )

    def _learn(self, exchange: Exchange) -> str | None:
        assert self.tenant is not None
        new = [(key, write) for key, write in self.learner.facts(exchange) if key not in self.known]
        if not new:
            return None
        state = self.tenant.state()
        for key, write in new:
            write(state)
            self.known.add(key)
        return self.tenant.replace_state(state)

    # -- the live API ---------------------------------------------------------------------------------------------

    def send_live(self, case: Any, live: Live) -> None:
        """Send a (confined) schemathesis case to the live API, then process the exchange."""
        started = datetime.now(UTC).isoformat()
        try:
            response = case.call(base_url=live.base_url)
        except requests.RequestException as exc:
            request = Request(case.method.upper(), self.masker.path(case.formatted_path))
            message = self.masker.text(f"{type(exc).__name__}: {exc}")
            result = self.results.setdefault(case.operation.label, OperationResult())
            result.cases += 1
            result.differences.append(
                Difference(case.operation.label, None, None, "network", f"live did not answer: {message}", request)
            )
            return
        self.process(from_schemathesis(case.operation.label, response, live.base_url, started=started))

    def prime(self, schema: Any, live: Live) -> None:
        """Send the learner's primers (reads of the sandbox entities) before the generated requests."""
        for case in primer_cases(schema, live):
            self.send_live(case, live)

"""The contract-test harness: vendor specs, the targets they run against, and what the runs observed.

One schemathesis suite (``test_contract.py``, ``test_contract_live.py``) runs every vendor spec in ``openapi/``
against three targets: the mock app in-process (ASGI), the mock as a real server, and the live API. A
:class:`Target` says where requests go and with which credentials; the test sets it as the current target so
that our own checks (``put_semantics.py``) and the status-code record below know what they are looking at.

This module is also a pytest plugin (``pytest_plugins`` in ``conftest.py``): it writes the status codes each
operation answered to ``reports/observed-status.json``, prints them in the terminal summary, and fails the session
when a contract test never reached an outcome its operation documents (``missing_statuses``).
"""

from __future__ import annotations

import json
import math
import os
import re
import threading
import tomllib
from collections import defaultdict
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
import schemathesis
import yaml
from schemathesis.config import SchemathesisConfig
from schemathesis.python import asgi

from mock_server.core import spec as spec_facts
from mock_server.core.throttle import RateLimit
from mock_server.registry import VENDORS

from . import spec_tools
from .cassette import Masker, Recorder, from_schemathesis

REPO = Path(__file__).resolve().parents[1]
SPEC_DIR = REPO / "openapi"
TOML = REPO / "schemathesis.toml"
#: Not a vendor API: the mock's own control API, served beside the vendor APIs.
CONTROL_SPEC = SPEC_DIR / "mock_admin.yaml"
#: Where reports go; ``make contract-live`` and the tests that run it point it elsewhere.
REPORTS = Path(os.environ.get("CONTRACT_REPORTS") or REPO / "reports")
OBSERVED_FILE = "observed-status.json"

#: Credentials of the in-process app, which runs with strict auth (``contract_auth.yaml``): two tenants.
ASGI_AUTH_FILE = Path(__file__).resolve().parent / "contract_auth.yaml"
ASGI_TOKEN = "contract-tenant-a"
ASGI_BYSTANDER = "contract-tenant-b"

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
LIVE_WRITES = "CONTRACT_LIVE_WRITES"
#: Requests per unit of time for every live API (``2/s``); ``<API>_RATE_LIMIT`` overrides it for one API.
LIVE_RATE_LIMIT = "CONTRACT_LIVE_RATE_LIMIT"
#: For an API whose vendor declares no limits.
DEFAULT_LIVE_RATE_LIMIT = "5/s"
#: The units schemathesis's ``rate-limit`` takes (``N/s``, ``N/m``, ...), in seconds.
RATE_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
SAFE_UNEXPECTED_METHODS = ("get", "options", "trace")
#: ``make contract-live RECORD=path``: where the live exchanges go, as a cassette.
RECORD = "CONTRACT_RECORD"


def _load(path: Path) -> Any:
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@dataclass(frozen=True)
class Spec:
    """One vendor API: ``openapi/<name>.yaml``. Its environment variables are named after ``name``."""

    name: str
    path: Path

    @cached_property
    def document(self) -> dict[str, Any]:
        loaded: dict[str, Any] = _load(self.path)
        return loaded

    @property
    def base_path(self) -> str:
        """The path of the first server URL, where the mock serves the API (``/v2/integrations``)."""
        return spec_facts.base_path(self.document)

    def env(self, suffix: str) -> str:
        """``COR_BASE_URL`` for ``env("BASE_URL")`` on ``cor.yaml``."""
        return f"{self.name.upper()}_{suffix}"


def vendor_specs() -> list[Spec]:
    """Every vendor spec: a YAML file in ``openapi/`` with a top-level ``openapi`` key, except the control API."""
    specs = []
    for path in sorted(SPEC_DIR.glob("*.yaml")):
        document = _load(path)
        if path != CONTROL_SPEC and isinstance(document, dict) and "openapi" in document:
            specs.append(Spec(path.stem, path))
    return specs


def selected_specs() -> list[Spec]:
    """The vendor specs to run: all, or those named in ``CONTRACT_API`` (``make contract-live API=cor`` sets it)."""
    specs = vendor_specs()
    names = os.environ.get("CONTRACT_API", "").split()
    unknown = set(names) - {spec.name for spec in specs}
    if unknown:
        known = " ".join(spec.name for spec in specs)
        raise pytest.UsageError(f"CONTRACT_API names unknown API {' '.join(sorted(unknown))} (known: {known})")
    return [spec for spec in specs if not names or spec.name in names]


def spec_name(case: Any) -> str:
    """The name of the spec a generated case comes from (``cor`` for ``openapi/cor.yaml``)."""
    return Path(urlsplit(case.operation.schema.location or "").path).stem


@cache
def control_base_path() -> str:
    return spec_facts.base_path(_load(CONTROL_SPEC))


# -- targets -------------------------------------------------------------------------------------------------------


@dataclass
class Target:
    """Where one spec's requests go. ``kind`` is ``asgi``, ``server`` or ``live``.

    ``base_url`` is the API's base URL (None in-process: schemathesis then sends to ``app``). ``bystander`` is a
    second credential whose tenant never writes; it is set only where the mock's control API exists
    (``control_origin``), so that tenant isolation can be checked through ``GET /__mock__/state``.
    """

    kind: str
    spec: Spec
    base_url: str | None = None
    app: Any = None
    control_origin: str = ""
    bystander: str | None = None
    #: Whether the status codes it answers count in the observed-status report (not for the harness's own tests).
    record: bool = True
    #: Keeps every exchange for a cassette (``make contract-live RECORD=path``).
    recorder: Recorder | None = None
    _bystander_state: Any = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def has_control_api(self) -> bool:
        return self.bystander is not None

    def call_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for ``case.call``/``call_and_validate`` that reach this target."""
        return {"base_url": self.base_url} if self.base_url else {}

    @contextmanager
    def session(self) -> Iterator[requests.Session]:
        """A requests session to this target's host, for requests outside a spec (the control API)."""
        client = asgi.get_client(self.app) if self.app is not None else requests.Session()
        with client:
            yield client

    def tenant_state(self, credential: str) -> Any:
        """``GET /__mock__/state`` as ``credential``: the whole state of that bearer token's tenant."""
        origin = self.control_origin or f"http://{asgi.HOST}"
        with self.session() as http:
            response = http.get(
                origin + control_base_path() + "/state", headers={"Authorization": f"Bearer {credential}"}, timeout=10
            )
        response.raise_for_status()
        return response.json()

    def prepare(self) -> None:
        """Snapshot the bystander's state before this target's first write (once per target)."""
        with self._lock:
            if self.bystander is not None and self._bystander_state is None:
                self._bystander_state = self.tenant_state(self.bystander)

    @property
    def bystander_baseline(self) -> Any:
        return self._bystander_state

    @contextmanager
    def active(self) -> Iterator[Target]:
        """Make this the target our checks and hooks see while a test sends requests."""
        self.prepare()
        reset = CURRENT_TARGET.set(self)
        try:
            yield self
        finally:
            CURRENT_TARGET.reset(reset)


CURRENT_TARGET: ContextVar[Target | None] = ContextVar("contract_target", default=None)


def current_target() -> Target | None:
    return CURRENT_TARGET.get()


# -- schemas -------------------------------------------------------------------------------------------------------


def settings(**overrides: Any) -> dict[str, Any]:
    """``schemathesis.toml`` as a dict, with ``CONTRACT_EXAMPLES`` applied and ``overrides`` merged in."""
    with TOML.open("rb") as fh:
        data: dict[str, Any] = tomllib.load(fh)
    examples = os.environ.get("CONTRACT_EXAMPLES")
    if examples:
        data.setdefault("generation", {})["max-examples"] = int(examples)
    return _merge(data, overrides)


def _merge(base: dict[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    for key, value in extra.items():
        if isinstance(value, Mapping) and isinstance(base.get(key), dict):
            _merge(base[key], value)
        else:
            base[key] = value
    return base


def load_schema(
    spec: Spec,
    *,
    token: str,
    app: Any = None,
    overrides: Mapping[str, Any] | None = None,
    document: Mapping[str, Any] | None = None,
) -> Any:
    """The spec as a schemathesis schema, configured by ``schemathesis.toml`` and sending ``token``.

    Each call builds a fresh config: schemathesis shares one config object between schemas loaded with it.
    The token is set by an auth provider rather than as a header on every call, so that the cases which
    deliberately drop or spoil the credential (negative security cases) are sent as generated.
    ``document`` replaces the spec file's content (tests of the harness use altered copies).
    """
    config = SchemathesisConfig.from_dict(settings(**(overrides or {})))
    if document is None:
        schema = schemathesis.openapi.from_path(spec.path, config=config)
    else:
        schema = schemathesis.openapi.from_dict(dict(document), config=config)
    if app is not None:
        schema.app = app
    schema.auth(refresh_interval=None)(_bearer_provider(token))
    return schema


def bearer(token: str) -> dict[str, str]:
    """The header that carries ``token``: what the auth provider sets on every generated case."""
    return {"Authorization": f"Bearer {token}"}


def _bearer_provider(token: str) -> type:
    class Bearer:
        def get(self, case: Any, context: Any) -> str:
            return token

        def set(self, case: Any, data: str, context: Any) -> None:
            case.headers = {**(case.headers or {}), **bearer(data)}

    return Bearer


# -- the live API --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Live:
    """What the environment says about running ``spec`` against its live API.

    ``<API>_BASE_URL`` (with the base path) and ``<API>_TOKEN`` enable reads. Writes also need
    ``CONTRACT_LIVE_WRITES=1`` and a sandbox ID for everything that names the entity written (see ``pins``),
    named after the resource: ``COR_LIVE_WORKSPACE_ID`` for ``id`` in ``/workspaces/{id}``. Those IDs
    replace the generated values in every request, so a live run writes only to the sandbox entities.
    """

    spec: Spec
    #: Holds the token: never shown in a repr.
    environ: Mapping[str, str] = field(repr=False)

    @property
    def base_url(self) -> str:
        return self.environ.get(self.spec.env("BASE_URL"), "").rstrip("/")

    @property
    def token(self) -> str:
        return self.environ.get(self.spec.env("TOKEN"), "")

    @property
    def writes(self) -> bool:
        return self.environ.get(LIVE_WRITES) == "1"

    @property
    def rate_limit(self) -> str:
        """The live run's pace: ``<API>_RATE_LIMIT``, else ``CONTRACT_LIVE_RATE_LIMIT``, else what the vendor
        declares (the table the mock's ``--rate-limits`` enforces), else 5 requests a second."""
        vendor = VENDORS.get(self.spec.name)
        declared = declared_rate(vendor.rate_limits) if vendor else None
        return (
            self.environ.get(self.spec.env("RATE_LIMIT"))
            or self.environ.get(LIVE_RATE_LIMIT)
            or declared
            or DEFAULT_LIVE_RATE_LIMIT
        )

    def missing(self) -> list[str]:
        """What is still unset of all that running every operation of this API live needs, in order."""
        document = self.spec.document
        writes = [
            (method, path)
            for path, item in document["paths"].items()
            for method in item
            if method.upper() in WRITE_METHODS
        ]
        needed = [(self.spec.env("BASE_URL"), ""), (self.spec.env("TOKEN"), "")]
        if writes:
            needed.append((LIVE_WRITES, "1"))
            needed += [(name, "") for name in sorted({v for m, p in writes for v in self.pins(m, p).values()})]
        unset = [
            (name, value)
            for name, value in needed
            if not self.environ.get(name) or (value and self.environ[name] != value)
        ]
        return [f"{name}={value}" if value else name for name, value in unset]

    def sandbox_variable(self, path: str, parameter: str) -> str:
        """``COR_LIVE_USER_ID`` for ``id`` in ``/users/{id}/attach``: the resource before the parameter."""
        segments = path.strip("/").split("/")
        index = segments.index("{" + parameter + "}")
        resource = _singular(segments[index - 1]) if index > 0 else ""
        name = re.sub(r"[^A-Za-z0-9]+", "_", re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", parameter)).upper()
        if resource and not name.startswith(resource):
            name = f"{resource}_{name}"
        return self.spec.env(f"LIVE_{name}")

    def pins(self, method: str, path: str) -> dict[tuple[str, str], str]:
        """What a write must be confined to: ``(location, name)`` → the sandbox variable that holds its value.

        Every path parameter, and every body field that a 2xx response's link feeds into the path of a GET:
        Nexudus names the workspace by ``Id`` in the body, and Dreadnode's ``key`` would rename the sandbox.
        """
        pinned = {("path", name): self.sandbox_variable(path, name) for name in re.findall(r"\{([^}]+)\}", path)}
        document = self.spec.document
        operation = document["paths"].get(path, {}).get(method.lower(), {})
        fields = _body_fields(document, operation)
        for status, response in operation.get("responses", {}).items():
            if not str(status).startswith("2"):
                continue
            for link in resolve_ref(document, response).get("links", {}).values():
                link = resolve_ref(document, link)
                read = _operation_path(document, link.get("operationId"), "get")
                for name, expression in link.get("parameters", {}).items():
                    name = name.split(".")[-1]
                    source, _, pointer = str(expression).partition("#")
                    field = pointer.strip("/")
                    if read and "{" + name + "}" in read and source.endswith(".body") and field in fields:
                        pinned[("body", field)] = self.sandbox_variable(read, name)
        return pinned

    def sandbox_values(self, method: str, path: str) -> tuple[dict[str, Any], dict[str, Any]]:
        """The configured sandbox values of the path parameters and body fields of a write (unset ones left out)."""
        operation = self.spec.document["paths"].get(path, {}).get(method.lower(), {})
        fields = _body_fields(self.spec.document, operation)
        values: dict[str, dict[str, Any]] = {"path": {}, "body": {}}
        for (location, name), variable in self.pins(method, path).items():
            value = self.environ.get(variable)
            if value:
                values[location][name] = _typed(value, fields.get(name, {})) if location == "body" else value
        return values["path"], values["body"]

    def confine(self, case: Any) -> None:
        """Put the sandbox values into ``case``: its path parameters, and the body fields that name the entity."""
        path, body = self.sandbox_values(case.operation.method, case.operation.path)
        if path:
            generated = case.path_parameters if isinstance(case.path_parameters, dict) else {}
            case.path_parameters = {**generated, **path}
        if body and isinstance(case.body, dict):
            case.body = {**case.body, **body}

    def skip_reason(self, method: str, path: str) -> str | None:
        """Why an operation must not run live, or None."""
        unset = [name for name in (self.spec.env("BASE_URL"), self.spec.env("TOKEN")) if not self.environ.get(name)]
        if unset:
            return f"live {self.spec.name} API not configured: set {' and '.join(unset)}"
        if method.upper() not in WRITE_METHODS:
            return None
        if not self.writes:
            return f"{method.upper()} changes live data: set {LIVE_WRITES}=1 and the sandbox IDs to run it"
        pinned = self.pins(method, path)
        if not pinned:
            return f"{method.upper()} {path} names no entity, so it cannot be confined to sandbox IDs"
        missing = sorted({variable for variable in pinned.values() if not self.environ.get(variable)})
        if missing:
            return f"set {', '.join(missing)} to the ID of a sandbox entity to run {method.upper()} {path} live"
        return None

    def stand_ins(self) -> dict[str | int, str | int]:
        """Each configured sandbox value → the spec's example for the first parameter or body field it fills.

        A cassette names these instead of the account's entities. One stand-in per value keeps every request
        that names the entity (Nexudus's PUT body ``Id`` and its GET path ``id``) addressing the same one.
        """
        document = self.spec.document
        found: dict[str | int, str | int] = {}
        for path, method, operation in spec_tools.operations(document):
            fields = _body_fields(document, operation)
            declared = [*document["paths"][path].get("parameters", []), *operation.get("parameters", [])]
            parameters = {node["name"]: node for node in (resolve_ref(document, p) for p in declared)}
            for (location, name), variable in self.pins(method, path).items():
                value = self.environ.get(variable)
                node = fields.get(name, {}) if location == "body" else parameters.get(name, {})
                schema = node if location == "body" else resolve_ref(document, node.get("schema", {}))
                example = node.get("example", schema.get("example"))
                if value and example is not None and value not in found:
                    found[value] = example
                    found.setdefault(_typed(value, schema), example)
        return found

    def recorder(self, path: Path) -> Recorder:
        """A recorder for a cassette at ``path``: the token masked, the sandbox IDs replaced by their stand-ins."""
        masker = Masker(secrets=(self.token,), substitutes=self.stand_ins())
        comment = f"Exchanges with the live {self.spec.name} API; credentials masked, sandbox IDs replaced."
        return Recorder(path, base_url=self.base_url, masker=masker, comment=comment)

    def target(self, recorder: Recorder | None = None) -> Target:
        return Target("live", self.spec, base_url=self.base_url, recorder=recorder)

    def schema(self) -> Any:
        """The spec loaded for a live run: rate-limited, and never trying a method that might create or delete."""
        overrides = {
            "rate-limit": self.rate_limit,
            # The coverage phase also tries undeclared methods; live, only those that cannot change data.
            "phases": {"coverage": {"unexpected-methods": list(SAFE_UNEXPECTED_METHODS)}},
        }
        return load_schema(self.spec, token=self.token, overrides=overrides)


def without_live_settings(**extra: str) -> dict[str, str]:
    """This process's environment without any live settings (a test's run must never reach a developer's live
    API, nor record into their cassette), plus ``extra``."""
    live = re.compile(r"^(CONTRACT_.*|.*_BASE_URL|.*_TOKEN|.*_LIVE_.*|.*_RATE_LIMIT)$")
    return {**{k: v for k, v in os.environ.items() if not live.match(k)}, **extra}


def declared_rate(limits: tuple[RateLimit, ...]) -> str | None:
    """The fastest schemathesis rate (one ``N/unit``) that keeps within every one of ``limits``, or None.

    schemathesis paces requests with a single sliding window of N per unit, which may send its N in a burst, so
    a window of ``seconds`` can hold ``N * ceil(seconds / unit)`` requests; each limit caps N for each unit.
    Nexudus's one request per 100 ms thus allows only 1 per second, which also keeps 60 writes a minute.
    """
    if not limits:
        return None
    best: tuple[float, str] | None = None
    for unit, length in RATE_UNITS.items():
        allowed = min(limit.requests // math.ceil(limit.seconds / length) for limit in limits)
        if allowed >= 1 and (best is None or allowed / length > best[0]):
            best = (allowed / length, f"{allowed}/{unit}")
    return best[1] if best else None


def resolve_ref(document: Any, node: Any) -> Any:
    """``node`` with its ``$ref`` followed (internal refs only, as every spec here has)."""
    for _ in range(32):
        if not (isinstance(node, dict) and "$ref" in node):
            break
        target = document
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


def _body_fields(document: Any, operation: Mapping[str, Any]) -> dict[str, Any]:
    """The properties of an operation's JSON request body, by name."""
    body = resolve_ref(document, operation.get("requestBody", {}))
    for media_type, content in body.get("content", {}).items():
        if "json" in media_type:
            schema = resolve_ref(document, content.get("schema", {}))
            return {name: resolve_ref(document, sub) for name, sub in schema.get("properties", {}).items()}
    return {}


def _operation_path(document: Any, operation_id: Any, method: str) -> str | None:
    """The path of the operation ``operation_id`` if it uses ``method``."""
    for path, item in document.get("paths", {}).items():
        if item.get(method, {}).get("operationId") == operation_id:
            return str(path)
    return None


def _typed(value: str, schema: Mapping[str, Any]) -> Any:
    """An environment value as its body field's type (Nexudus's Id is an integer)."""
    if schema.get("type") == "integer" and re.fullmatch(r"-?\d+", value):
        return int(value)
    if schema.get("type") == "number" and re.fullmatch(r"-?\d+(\.\d+)?", value):
        return float(value)
    return value


def _singular(word: str) -> str:
    word = re.sub(r"[^A-Za-z0-9]+", "_", word).upper()
    if word.endswith("IES"):
        return word[:-3] + "Y"
    return word[:-1] if word.endswith("S") and not word.endswith("SS") else word


# -- observed status codes -----------------------------------------------------------------------------------------

#: spec → operation label → target kind → status codes seen.
OBSERVED: defaultdict[str, defaultdict[str, defaultdict[str, set[int]]]] = defaultdict(
    lambda: defaultdict(lambda: defaultdict(set))
)


@schemathesis.hook
def after_call(context: Any, case: Any, response: Any) -> None:
    """Record the status of every request sent for a contract test (schemathesis's own auth probes aside), and
    the exchange itself where the target keeps a cassette."""
    target = current_target()
    if target is not None and target.record:
        OBSERVED[target.spec.name][case.operation.label][target.kind].add(response.status_code)
    if target is not None and target.recorder is not None and target.base_url:
        target.recorder.add(from_schemathesis(case.operation.label, response, target.base_url))


def observed() -> dict[str, dict[str, dict[str, list[int]]]]:
    return {
        spec: {op: {kind: sorted(codes) for kind, codes in sorted(kinds.items())} for op, kinds in sorted(ops.items())}
        for spec, ops in sorted(OBSERVED.items())
    }


#: The cassettes this session records (``CONTRACT_RECORD``), written when it ends.
CASSETTES: list[Recorder] = []


def recorders(lives: Mapping[str, Live]) -> dict[str, Recorder]:
    """A recorder for the one live API of a run when ``CONTRACT_RECORD`` names a cassette, else none."""
    path = os.environ.get(RECORD)
    if not path:
        return {}
    if len(lives) != 1:
        raise pytest.UsageError(f"{RECORD} records the cassette of one API: name one (API=cor), not {len(lives)}")
    name, live = next(iter(lives.items()))
    recorder = live.recorder(Path(path))
    CASSETTES.append(recorder)
    return {name: recorder}


#: The targets whose answers the session judges: the mock, in-process and as a server.
MOCK_TARGETS = frozenset({"asgi", "server"})
#: Error statuses every contract run must reach where the operation documents them; every documented 2xx as well.
REQUIRED_ERRORS = frozenset({400, 401, 404, 422})
#: What the session's contract tests failed to reach, found when the session ends (``missing_statuses``).
NEVER_OBSERVED: dict[str, list[int]] = {}


def documented(document: Mapping[str, Any], label: str) -> set[int]:
    method, path = label.split(" ", 1)
    return {int(code) for code in document["paths"][path][method.lower()]["responses"] if code.isdigit()}


def missing_statuses(
    exercised: list[tuple[str, str, str]],
    report: Mapping[str, Mapping[str, Mapping[str, list[int]]]],
    documents: Mapping[str, Mapping[str, Any]],
) -> dict[str, list[int]]:
    """For each ``(target kind, spec, operation)`` that ran against the mock: its documented 2xx and required errors
    never seen. Live runs are not judged: what a vendor's sandbox answers (a read-only run never sees a 2xx write)
    is the drift report's subject, not the mock's."""
    missing = {}
    for kind, spec, label in exercised:
        if kind not in MOCK_TARGETS:
            continue
        wanted = {code for code in documented(documents[spec], label) if 200 <= code < 300 or code in REQUIRED_ERRORS}
        seen = set(report.get(spec, {}).get(label, {}).get(kind, []))
        if wanted - seen:
            missing[f"{kind} {spec} {label}"] = sorted(wanted - seen)
    return missing


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Write the cassettes and the observed statuses, then judge them: a contract run that never reached a
    documented outcome fails the session. Judged here, after every test, so that no test depends on running last;
    only the contract tests that ran count, so ``-k``/``--deselect`` and skipped live tests leave it valid."""
    for recorder in CASSETTES:
        recorder.write()
    if not OBSERVED:
        return
    REPORTS.mkdir(parents=True, exist_ok=True)
    (REPORTS / OBSERVED_FILE).write_text(json.dumps(observed(), indent=2) + "\n", encoding="utf-8")
    documents = {spec.name: spec.document for spec in vendor_specs()}
    NEVER_OBSERVED.update(missing_statuses(contract_items(session), observed(), documents))
    if NEVER_OBSERVED and session.exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    if not OBSERVED:
        return
    terminalreporter.section("status codes observed per operation")
    for line in summary_lines(observed()):
        terminalreporter.write_line(line)
    terminalreporter.write_line(f"(written to {REPORTS / OBSERVED_FILE})")
    if NEVER_OBSERVED:
        terminalreporter.section("documented statuses the contract tests never reached", red=True)
        for operation, codes in NEVER_OBSERVED.items():
            terminalreporter.write_line(f"{operation}: {' '.join(map(str, codes))}", red=True)


def summary_lines(report: Mapping[str, Mapping[str, Mapping[str, list[int]]]]) -> list[str]:
    lines = []
    for spec, operations in report.items():
        for operation, kinds in operations.items():
            seen = "; ".join(f"{kind}: {' '.join(map(str, codes))}" for kind, codes in kinds.items())
            lines.append(f"{spec:<10} {operation:<28} {seen}")
    return lines


# -- the record of what ran ----------------------------------------------------------------------------------------

#: Test functions of the contract suite, by the target kind they run against.
SUITE_TESTS = {"test_asgi": "asgi", "test_server": "server", "test_live": "live"}
#: Node IDs of the contract tests that ran (not skipped) in this session.
RAN: set[str] = set()


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when == "call" and not report.skipped:
        RAN.add(report.nodeid)


def contract_items(session: pytest.Session) -> list[tuple[str, str, str]]:
    """``(target kind, spec, operation)`` of every contract test that ran in ``session``."""
    found = []
    for item in session.items:
        kind = SUITE_TESTS.get(getattr(item, "originalname", ""))
        match = re.match(r"^\w+\[([^\]]+)\]\[", item.name)
        label = getattr(item, "operation_label", None)
        if kind and match and label and item.nodeid in RAN:
            found.append((kind, match.group(1), label))
    return found

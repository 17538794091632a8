"""What the drift run's mock learns from the live API, so that both start from the same entities.

The mock's tenant starts empty: the default fixtures name the docs' entities, which the live account does not
have, and would turn live 404s into mock 200s. Each live 2xx answer is then read for *facts* (this workspace
exists for this source, its name is this, the company is 1234, ...) before the request goes to the mock; a fact
not seen before is written into the tenant's state through the control API (``PUT /__mock__/state``). A fact
is learned once: from then on the mock's state evolves on its own, and what it does with it is compared.

Before the generated requests, a run reads the sandbox entities with the API's GET operations, or, for an API
without one (COR), sends each partial-update PUT with its required fields only (one per ``metadata.source``):
an update that changes nothing, whose answer shows the entity. Those requests are compared like any other,
and a cassette records them, so a replay learns the same facts in the same order.

Each learner knows its API's fixture format (``mock_server/<api>/fixtures.yaml``, checked by the mock when the
state is written). A fact the mock's fixtures refuse is a difference in itself, reported by the run.
"""

from __future__ import annotations

import copy
import itertools
import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar
from urllib.parse import unquote

from ..cassette import Exchange
from ..contract import Live, Spec, bearer, resolve_ref
from ..spec_tools import operations

#: A fact: a key naming what is known, and how to write it into the API's state.
Fact = tuple[tuple[Any, ...], Callable[[dict[str, Any]], None]]
#: Stand-in for a timestamp live never showed (fixtures need one).
EPOCH = "1970-01-01T00:00:00Z"
#: Most primer bodies one operation may get (the product of the enums of its required fields).
MAX_PRIMERS = 64


@dataclass(frozen=True)
class Primer:
    """A request a run sends before the generated ones, so that the mock learns a sandbox entity."""

    method: str
    path: str
    body: Any = None


def primer_cases(schema: Any, live: Live) -> list[Any]:
    """The primers of ``live``'s API as schemathesis cases of ``schema``, confined to the sandbox and carrying
    the live credential (a case built by hand gets no auth provider)."""
    cases = []
    for primer in learner(live.spec).primers():
        extra = {} if primer.body is None else {"body": primer.body, "media_type": "application/json"}
        case = schema[primer.path][primer.method].Case(path_parameters={}, headers=bearer(live.token), **extra)
        live.confine(case)
        cases.append(case)
    return cases


def path_parameters(operation: str, path: str) -> dict[str, str]:
    """The path parameters of ``path`` (below the base URL) for the operation labelled ``PUT /users/{id}``."""
    template = operation.partition(" ")[2]
    names = re.findall(r"\{([^}]+)\}", template)
    pattern = re.escape(template)
    for name in names:
        pattern = pattern.replace(re.escape("{" + name + "}"), f"(?P<{_group(name)}>[^/]+)", 1)
    match = re.fullmatch(pattern, path.partition("?")[0])
    if match is None:
        return {}
    return {name: unquote(match.group(_group(name))) for name in names}


def _group(name: str) -> str:
    return "p_" + re.sub(r"\W", "_", name)


def _json(data: bytes | None) -> Any:
    try:
        return json.loads(data or b"")
    except ValueError:
        return None


def _timestamp(value: Any) -> str:
    """An RFC 3339 timestamp for the fixtures: as shown, from COR's ``2026-01-15 22:42:15``, or the epoch."""
    if isinstance(value, str):
        if re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)", value):
            return value
        if re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", value):
            return value.replace(" ", "T") + "Z"
    return EPOCH


class Learner:
    """The facts a live answer shows, for an API whose entities the mock does not need to know (the default)."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec

    def empty(self, state: dict[str, Any]) -> dict[str, Any]:
        """The API's part of a tenant's state, without entities."""
        return state

    def facts(self, exchange: Exchange) -> list[Fact]:
        return []

    def primers(self) -> list[Primer]:
        """GET every read operation of the spec (the run fills in the sandbox IDs); for an API without one, send
        each partial-update PUT with its required fields only, once per combination of their enum values."""
        document = self.spec.document
        reads = [Primer("GET", path) for path, method, _ in operations(document) if method == "get"]
        if reads:
            return reads
        found = []
        for path, method, operation in operations(document):
            if method == "put" and operation.get("x-put-semantics") == "partial":
                found += [Primer("PUT", path, body) for body in _minimal_bodies(document, operation)]
        return found


def _minimal_bodies(document: Any, operation: Mapping[str, Any]) -> list[Any]:
    """Every body with only the required fields, enum values enumerated; none if a required field is not an enum."""
    body = resolve_ref(document, operation.get("requestBody", {}))
    schema = resolve_ref(document, body.get("content", {}).get("application/json", {}).get("schema"))
    choices = _choices(document, schema)
    return [] if choices is None else list(itertools.islice(choices, MAX_PRIMERS))


def _choices(document: Any, schema: Any) -> Iterator[Any] | None:
    schema = _merged(document, schema)
    if not isinstance(schema, dict):
        return None
    if "enum" in schema:
        return iter(schema["enum"])
    if schema.get("type") != "object":
        return None
    names = list(schema.get("required", []))
    options = [_choices(document, schema.get("properties", {}).get(name)) for name in names]
    if any(option is None for option in options):
        return None
    return (dict(zip(names, values, strict=True)) for values in itertools.product(*(list(o or ()) for o in options)))


def _merged(document: Any, schema: Any) -> Any:
    """``schema`` with its ``$ref`` followed and its ``allOf`` parts merged in (type, required, properties, enum)."""
    schema = resolve_ref(document, schema)
    if not isinstance(schema, dict) or "allOf" not in schema:
        return schema
    merged: dict[str, Any] = {key: value for key, value in schema.items() if key != "allOf"}
    for part in schema["allOf"]:
        part = _merged(document, part)
        for key, value in part.items():
            if key == "required":
                merged["required"] = [*merged.get("required", []), *value]
            elif key == "properties":
                merged["properties"] = {**value, **merged.get("properties", {})}
            else:
                merged.setdefault(key, value)
    return merged


def _record(container: dict[str, Any], key: str, placeholder: Mapping[str, Any]) -> dict[str, Any]:
    """The record ``container[key]``, created from ``placeholder`` (fields live has not shown yet) if absent."""
    record: dict[str, Any] = container.setdefault(key, copy.deepcopy(dict(placeholder)))
    return record


def _field_facts(
    key: tuple[Any, ...],
    locate: Callable[[dict[str, Any]], dict[str, Any]],
    shown: Mapping[str, Any],
    fields: Mapping[str, Callable[[Any], Any]],
) -> list[Fact]:
    """One fact per field of ``fields`` that ``shown`` has: write the converted value into the located record."""

    def setter(name: str, value: Any) -> Callable[[dict[str, Any]], None]:
        def write(state: dict[str, Any]) -> None:
            locate(state)[name] = value

        return write

    return [((*key, name), setter(name, convert(shown[name]))) for name, convert in fields.items() if name in shown]


def _same(value: Any) -> Any:
    return value


class CorLearner(Learner):
    """COR: workspaces, users, positions and seniorities per ``metadata.source``; the company; integration IDs."""

    WORKSPACE: ClassVar[Mapping[str, Any]] = {
        "id": 1,
        "name": "unknown",
        "active": True,
        "description": None,
        "metadata": {},
        "created_at": EPOCH,
        "updated_at": EPOCH,
    }
    USER: ClassVar[Mapping[str, Any]] = {
        "id": 1,
        "email": "unknown@example.com",
        "first_name": "unknown",
        "last_name": "unknown",
        "phone": None,
        "position": None,
        "department": None,
        "role_id": 1,
        "daily_hours": 0,
        "user_position_id": None,
        "seniority_id": None,
        "created_at": EPOCH,
        "updated_at": EPOCH,
        "workspaces": {},
    }
    WORKSPACE_FIELDS: ClassVar[Mapping[str, Callable[[Any], Any]]] = {
        "id": _same,
        "name": _same,
        "active": _same,
        "description": _same,
        "metadata": _same,
        "created_at": _timestamp,
        "updated_at": _timestamp,
    }
    USER_FIELDS: ClassVar[Mapping[str, Callable[[Any], Any]]] = {
        "id": _same,
        "email": _same,
        "first_name": _same,
        "last_name": _same,
        "phone": _same,
        "role_id": _same,
        "daily_hours": _same,
        "created_at": _timestamp,
        "updated_at": _timestamp,
    }

    def empty(self, state: dict[str, Any]) -> dict[str, Any]:
        return {**state, "workspaces": {}, "users": {}, "positions": {}, "seniorities": {}}

    def facts(self, exchange: Exchange) -> list[Fact]:
        shown, sent = _json(exchange.response.body), _json(exchange.request.body)
        if not 200 <= exchange.response.status < 300 or not isinstance(shown, dict) or not isinstance(sent, dict):
            return []
        source = (sent.get("metadata") or {}).get("source")
        external_id = path_parameters(exchange.operation, exchange.request.path).get("id")
        if not isinstance(source, str) or external_id is None:
            return []
        found: list[Fact] = []
        if "company_id" in shown:
            company = shown["company_id"]
            found.append((("company_id",), lambda cor: cor.__setitem__("company_id", company)))
        if exchange.operation.endswith("/attach"):
            found += self._attach(source, external_id, shown)
        elif exchange.operation.startswith("PUT /workspaces/"):
            found += self._workspace(source, external_id, shown)
        elif exchange.operation.startswith("PUT /users/"):
            found += self._user(source, external_id, shown)
            for field, kind in (("user_position_id", "positions"), ("seniority_id", "seniorities")):
                if isinstance(sent.get(field), str):
                    found.append(self._named(kind, source, sent[field]))
        return found

    def _workspace(self, source: str, external_id: str, shown: Mapping[str, Any]) -> list[Fact]:
        def locate(cor: dict[str, Any]) -> dict[str, Any]:
            return _record(cor["workspaces"].setdefault(source, {}), external_id, self.WORKSPACE)

        return _field_facts(("workspace", source, external_id), locate, shown, self.WORKSPACE_FIELDS)

    def _user_locator(self, source: str, external_id: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
        def locate(cor: dict[str, Any]) -> dict[str, Any]:
            return _record(cor["users"].setdefault(source, {}), external_id, self.USER)

        return locate

    def _user(self, source: str, external_id: str, shown: Mapping[str, Any]) -> list[Fact]:
        locate = self._user_locator(source, external_id)
        return _field_facts(("user", source, external_id), locate, shown, self.USER_FIELDS)

    def _named(self, kind: str, source: str, external_id: str) -> Fact:
        """A position or seniority live accepted: it exists (its ID and name are never shown)."""

        def write(cor: dict[str, Any]) -> None:
            entities = cor[kind].setdefault(source, {})
            entities.setdefault(external_id, {"id": len(entities) + 1, "name": external_id[:255]})

        return (kind, source, external_id), write

    def _attach(self, source: str, user_id: str, shown: Mapping[str, Any]) -> list[Fact]:
        """The attach answer shows the user (name, email) and every workspace attached to it, with its pivot."""
        locate = self._user_locator(source, user_id)
        found = _field_facts(("user", source, user_id), locate, shown, {"id": _same, "email": _same})
        first, _, last = str(shown.get("name", "")).partition(" ")
        if first and last:
            found += _field_facts(
                ("user", source, user_id), locate, {"first_name": first, "last_name": last}, self.USER_FIELDS
            )
        for item in shown.get("workspaces") or []:
            integration = item.get("json_integrations") or {}
            workspace_id = integration.get("origin_external_id")
            if not isinstance(workspace_id, str):
                continue
            found += self._workspace(source, workspace_id, item)
            if isinstance(integration.get("integration_id"), int):

                def integrate(cor: dict[str, Any], number: int = integration["integration_id"]) -> None:
                    cor["integrations"][source] = number

                found.append((("integration", source), integrate))
            percentage = (item.get("pivot") or {}).get("percentage")
            if isinstance(percentage, int | float) and not isinstance(percentage, bool):
                stamp = _timestamp(item.get("updated_at"))

                def attach(cor: dict[str, Any], w: str = workspace_id, p: Any = percentage, t: str = stamp) -> None:
                    locate(cor)["workspaces"][w] = {"percentage": p, "attached_at": t}

                found.append((("attached", source, user_id, workspace_id), attach))
        return found


class NexudusLearner(Learner):
    """Nexudus: workspace records, as the GET shows them (the PUT answers an envelope without the record)."""

    WORKSPACE: ClassVar[Mapping[str, Any]] = {
        "Id": 0,
        "BusinessId": 0,
        "AdministratorId": 0,
        "Name": "unknown",
        "VisibleInMySpaces": False,
        "VisibleByEveryone": False,
        "Archived": False,
        "Description": None,
        "Members": [],
        "CreatedOn": EPOCH,
        "UpdatedOn": EPOCH,
        "UpdatedBy": "unknown",
    }
    FIELDS: ClassVar[Mapping[str, Callable[[Any], Any]]] = {
        name: (_timestamp if name in ("CreatedOn", "UpdatedOn") else _same) for name in WORKSPACE
    }

    def empty(self, state: dict[str, Any]) -> dict[str, Any]:
        return {**state, "workspaces": {}}

    def facts(self, exchange: Exchange) -> list[Fact]:
        shown = _json(exchange.response.body)
        if not (200 <= exchange.response.status < 300 and exchange.request.method == "GET" and isinstance(shown, dict)):
            return []
        if not isinstance(shown.get("Id"), int):
            return []
        key = str(shown["Id"])

        def locate(nexudus: dict[str, Any]) -> dict[str, Any]:
            return _record(nexudus["workspaces"], key, self.WORKSPACE)

        return _field_facts(("workspace", key), locate, shown, self.FIELDS)


class DreadnodeLearner(Learner):
    """Dreadnode: organizations and their workspaces, as every 2xx answer (a whole workspace) shows them."""

    WORKSPACE: ClassVar[Mapping[str, Any]] = {
        "id": "00000000-0000-4000-8000-000000000000",
        "name": "unknown",
        "description": None,
        "is_active": True,
        "is_default": False,
        "created_by": None,
        "project_count": None,
        "created_at": EPOCH,
        "updated_at": EPOCH,
    }
    FIELDS: ClassVar[Mapping[str, Callable[[Any], Any]]] = {
        name: (_timestamp if name.endswith("_at") else _same) for name in WORKSPACE
    }

    def empty(self, state: dict[str, Any]) -> dict[str, Any]:
        return {**state, "organizations": {}}

    def facts(self, exchange: Exchange) -> list[Fact]:
        shown = _json(exchange.response.body)
        org = path_parameters(exchange.operation, exchange.request.path).get("org")
        if not (200 <= exchange.response.status < 300 and isinstance(shown, dict) and org):
            return []
        key = shown.get("key")
        if not isinstance(key, str):
            return []

        def organization(dreadnode: dict[str, Any]) -> dict[str, Any]:
            placeholder = {"id": shown.get("org_id") or self.WORKSPACE["id"], "name": None, "workspaces": {}}
            return _record(dreadnode["organizations"], org, placeholder)

        def workspace(dreadnode: dict[str, Any]) -> dict[str, Any]:
            return _record(organization(dreadnode)["workspaces"], key, self.WORKSPACE)

        renamed = {"id": shown["org_id"]} if "org_id" in shown else {}
        renamed |= {"name": shown["org_name"]} if "org_name" in shown else {}
        found = _field_facts(("organization", org), organization, renamed, {"id": _same, "name": _same})
        return found + _field_facts(("workspace", org, key), workspace, shown, self.FIELDS)


LEARNERS: dict[str, type[Learner]] = {"cor": CorLearner, "nexudus": NexudusLearner, "dreadnode": DreadnodeLearner}


def learner(spec: Spec) -> Learner:
    """The learner of ``spec``'s API; an API without one keeps the default fixtures and learns nothing."""
    return LEARNERS.get(spec.name, Learner)(spec)

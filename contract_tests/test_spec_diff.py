"""The spec gate (``make spec-diff``): each rule on a pair of specs, the version gate, and the gate in a git repo.

The rule cases edit a copy of ``spec_diff_base.yaml`` (the old spec) into the new one; all of them go through
:func:`spec_diff.compare` together, so openapi-diff runs once for the whole module. The acceptance tests commit
edits of the real COR spec in a scratch repository and run ``make spec-diff`` there.
"""

from __future__ import annotations

import copy
import dataclasses
import re
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from .conftest import REPO, ScratchRepo, load_yaml
from .spec_diff import ApiDiff, Change, compare, major_bump, parse_version
from .spec_tools import resolve

BASE_SPEC = Path(__file__).resolve().with_name("spec_diff_base.yaml")
PUT = "/paths/~1widgets~1{id}/put"
SCHEMAS = "/components/schemas"
#: (operation, JSON pointer, value): "set" a key or index, "delete" a key, "append" to a list, "discard" a value
Edit = tuple[str, str, Any]


def edited(document: Any, edits: list[Edit]) -> Any:
    """A copy of ``document`` with ``edits`` applied, each at a JSON pointer."""
    document = copy.deepcopy(document)
    for operation, where, value in edits:
        parts = [part.replace("~1", "/").replace("~0", "~") for part in where.split("/")[1:]]
        node = document
        for part in parts[:-1]:
            node = node[int(part)] if isinstance(node, list) else node[part]
        key: Any = int(parts[-1]) if isinstance(node, list) else parts[-1]
        if operation == "set":
            node[key] = value
        elif operation == "delete":
            del node[key]
        elif operation == "append":
            node[key].append(value)
        elif operation == "discard":
            node[key].remove(value)
        else:
            raise ValueError(operation)
    return document


@dataclass(frozen=True)
class Case:
    """An edit of the old spec, and what the gate must say: (rule, words of the message, words of the place)."""

    edits: list[Edit]
    breaking: list[tuple[str, str, str]] = field(default_factory=list)
    non_breaking: list[tuple[str, str, str]] = field(default_factory=list)


BREAKING = {
    "request field made required": Case(
        [("append", f"{SCHEMAS}/WidgetUpdate/required", "size")],
        breaking=[("required", "field `size` is now required", "PUT /widgets/{id} request body")],
    ),
    "new required request field": Case(
        [
            ("set", f"{SCHEMAS}/WidgetUpdate/properties/weight", {"type": "integer"}),
            ("append", f"{SCHEMAS}/WidgetUpdate/required", "weight"),
        ],
        breaking=[("field-added", "new required field `weight`", "request body")],
    ),
    "request field removed": Case(
        [("delete", f"{SCHEMAS}/WidgetUpdate/properties/tags", None)],
        breaking=[("field-removed", "field `tags` removed", "request body")],
    ),
    "request refuses undeclared fields": Case(
        [("set", f"{SCHEMAS}/WidgetUpdate/additionalProperties", False)],
        breaking=[("additionalProperties", "refuses fields it does not declare", "request body")],
    ),
    "tighter maxLength in the request": Case(
        [("set", f"{SCHEMAS}/WidgetUpdate/properties/name/maxLength", 50)],
        breaking=[("maxLength", "field `name`: maxLength 100 → 50", "request body")],
    ),
    "maxLength added to request items": Case(
        [("set", f"{SCHEMAS}/WidgetUpdate/properties/tags/items/maxLength", 20)],
        breaking=[("maxLength", "field `tags[]`: maxLength 20 added", "request body")],
    ),
    "enum value removed": Case(
        [("discard", f"{SCHEMAS}/Colour/enum", "blue")],
        breaking=[("enum", 'field `colour`: enum value `"blue"` removed', "PUT /widgets/{id} request body")],
        non_breaking=[("enum", 'field `colour`: enum value `"blue"` removed', "PUT /widgets/{id} 200 response")],
    ),
    "higher minimum in the request": Case(
        [("set", f"{SCHEMAS}/WidgetUpdate/properties/size/minimum", 2)],
        breaking=[("minimum", "field `size`: minimum 1 → 2", "request body")],
    ),
    "null refused in the request": Case(
        [("delete", f"{SCHEMAS}/WidgetUpdate/properties/note/nullable", None)],
        breaking=[
            ("nullable", "field `note`: no longer accepts null; requests that send null are refused", "request body")
        ],
    ),
    "pattern added in the request": Case(
        [("set", f"{SCHEMAS}/WidgetUpdate/properties/name/pattern", "^[A-Za-z ]+$")],
        breaking=[("pattern", "field `name`: pattern `^[A-Za-z ]+$` added", "request body")],
    ),
    "request field type changed": Case(
        [("set", f"{SCHEMAS}/WidgetUpdate/properties/size/type", "string")],
        breaking=[("type", "field `size`: type `integer` → `string`", "request body")],
    ),
    "response field removed": Case(
        [("delete", f"{SCHEMAS}/Widget/properties/created_at", None)],
        breaking=[("field-removed", "field `created_at` removed", "GET /widgets/{id} 200 response")],
    ),
    "response field made nullable": Case(
        [("set", f"{SCHEMAS}/Widget/properties/name/nullable", True)],
        breaking=[("nullable", "field `name`: may now be null", "PUT /widgets/{id} 200 response")],
    ),
    "response field no longer always present": Case(
        [("discard", f"{SCHEMAS}/Widget/required", "size")],
        breaking=[("required", "field `size` is no longer always present", "200 response")],
    ),
    "new enum value in a response": Case(
        [("append", f"{SCHEMAS}/Colour/enum", "yellow")],
        breaking=[("enum", 'new enum value `"yellow"`', "GET /widgets/{id} 200 response")],
        non_breaking=[("enum", 'new enum value `"yellow"`', "PUT /widgets/{id} request body")],
    ),
    "response format changed": Case(
        [("set", f"{SCHEMAS}/Widget/properties/created_at/format", "date")],
        breaking=[("format", "field `created_at`: format `date-time` → `date`", "200 response")],
    ),
    "documented status removed": Case(
        [("delete", f"{PUT}/responses/404", None)],
        breaking=[("openapi-diff response.status-code.remove", "no longer documented", "PUT /widgets/{id} 404")],
    ),
    "documented status range removed": Case(
        [("delete", f"{PUT}/responses/4XX", None)],
        breaking=[("status", "response no longer documented", "PUT /widgets/{id} 4XX response")],
    ),
    "response media type removed": Case(
        [
            ("set", "/components/responses/NotFound/content/application~1problem+json", {"schema": {"type": "object"}}),
            ("delete", "/components/responses/NotFound/content/application~1json", None),
        ],
        breaking=[("media-type", "no longer answers with `application/json`", "PUT /widgets/{id} 404 response")],
    ),
    "request media type removed": Case(
        [
            ("set", f"{PUT}/requestBody/content/application~1xml", {"schema": {"type": "object"}}),
            ("delete", f"{PUT}/requestBody/content/application~1json", None),
        ],
        breaking=[("media-type", "`application/json` no longer accepted", "PUT /widgets/{id} request body")],
    ),
    "x-put-semantics changed": Case(
        [("set", f"{PUT}/x-put-semantics", "replace")],
        breaking=[("x-put-semantics", "x-put-semantics `partial` → `replace`", "PUT /widgets/{id}")],
    ),
    "auth scheme changed": Case(
        [("set", "/components/securitySchemes/bearerAuth", {"type": "apiKey", "in": "header", "name": "X-Key"})],
        breaking=[("security", "auth HTTP Bearer no longer accepted", "GET /widgets/{id}")],
        non_breaking=[("security", "auth API key in header X-Key now accepted", "PUT /widgets/{id}")],
    ),
    "base path changed": Case(
        [("set", "/servers/0/url", "https://widgets.example.com/api/v2")],
        breaking=[("base-path", "base path `/api/v1` removed (now `/api/v2`)", "API")],
    ),
    "parameter made required": Case(
        [("set", f"{PUT}/parameters/0/required", True)],
        breaking=[("parameter", "parameter is now required", "PUT /widgets/{id} header parameter x-request-id")],
    ),
    "new required parameter": Case(
        [
            (
                "append",
                f"{PUT}/parameters",
                {"name": "force", "in": "query", "required": True, "schema": {"type": "boolean"}},
            )
        ],
        breaking=[("parameter", "new required parameter", "PUT /widgets/{id} query parameter force")],
    ),
    "tighter path parameter": Case(
        [("set", "/paths/~1widgets~1{id}/parameters/0/schema/maxLength", 32)],
        breaking=[("maxLength", "maxLength 64 → 32", "GET /widgets/{id} path parameter id")],
    ),
    "operation removed": Case(
        [("delete", "/paths/~1widgets~1{id}/get", None)],
        breaking=[("openapi-diff method.remove", "operation removed", "GET /widgets/{id}")],
    ),
}

COMPATIBLE = {
    "optional request field added": Case(
        [("set", f"{SCHEMAS}/WidgetUpdate/properties/weight", {"type": "integer", "description": "Grams."})],
        non_breaking=[("field-added", "new optional field `weight`", "PUT /widgets/{id} request body")],
    ),
    "response field added": Case(
        [("set", f"{SCHEMAS}/Widget/properties/weight", {"type": "integer", "description": "Grams."})],
        non_breaking=[("field-added", "new field `weight`", "GET /widgets/{id} 200 response")],
    ),
    "response field made always present": Case(
        [("append", f"{SCHEMAS}/Widget/required", "created_at")],
        non_breaking=[("required", "field `created_at` is now always present", "GET /widgets/{id} 200 response")],
    ),
    "new operation": Case(
        [
            (
                "set",
                "/paths/~1widgets~1{id}/delete",
                {"operationId": "delete_widget", "responses": {"204": {"description": "Gone."}}},
            )
        ],
        non_breaking=[("openapi-diff method.add", "new operation", "DELETE /widgets/{id}")],
    ),
    "new documented status": Case(
        [("set", f"{PUT}/responses/409", {"$ref": "#/components/responses/NotFound"})],
        non_breaking=[("openapi-diff response.status-code.add", "new documented status", "PUT /widgets/{id} 409")],
    ),
    "looser maxLength in the request": Case(
        [("set", f"{SCHEMAS}/WidgetUpdate/properties/name/maxLength", 200)],
        non_breaking=[("maxLength", "field `name`: maxLength 100 → 200", "PUT /widgets/{id} request body")],
    ),
    "new optional parameter": Case(
        [("append", f"{PUT}/parameters", {"name": "dry_run", "in": "query", "schema": {"type": "boolean"}})],
        non_breaking=[("parameter", "new optional parameter", "PUT /widgets/{id} query parameter dry_run")],
    ),
    "another auth scheme accepted": Case(
        [
            ("set", "/components/securitySchemes/apiKeyAuth", {"type": "apiKey", "in": "header", "name": "X-Key"}),
            ("append", "/security", {"apiKeyAuth": []}),
        ],
        non_breaking=[("security", "auth API key in header X-Key now accepted", "PUT /widgets/{id}")],
    ),
}

#: Edits a client cannot see at all: nothing is reported.
INVISIBLE: dict[str, list[Edit]] = {
    "description edits": [
        ("set", f"{PUT}/description", "Changes the fields sent, and nothing else."),
        ("set", f"{SCHEMAS}/Widget/properties/name/description", "What the widget is called."),
        ("set", "/components/responses/NotFound/description", "There is no widget with that ID."),
    ],
    "example edits": [
        ("set", f"{PUT}/requestBody/content/application~1json/example", {"name": "Cog", "size": 2}),
        ("set", f"{SCHEMAS}/WidgetUpdate/properties/name/example", "Cog"),
    ],
    "version bump only": [("set", "/info/version", "1.3.0")],
}


@pytest.fixture(scope="module")
def base() -> Any:
    return load_yaml(BASE_SPEC)


@pytest.fixture(scope="module")
def results(base: Any) -> dict[str, list[Change]]:
    """Every case's changes, from one run of openapi-diff."""
    edits = {name: case.edits for name, case in {**BREAKING, **COMPATIBLE}.items()} | INVISIBLE
    pairs = [(base, edited(base, case_edits)) for case_edits in edits.values()]
    return dict(zip(edits, compare(REPO, pairs), strict=True))


def found(changes: list[Change], breaking: bool, rule: str, words: str, place: str) -> bool:
    return any(
        change.breaking is breaking and change.rule == rule and words in change.message and place in change.where
        for change in changes
    )


def shown(changes: list[Change]) -> str:
    return "\n".join(f"{'BREAKING' if c.breaking else 'ok'} {c.where}: {c.message} [{c.rule}]" for c in changes)


@pytest.mark.parametrize("name", BREAKING)
def test_each_breaking_change_is_flagged_and_named(name: str, results: dict[str, list[Change]]) -> None:
    changes, case = results[name], BREAKING[name]
    for rule, words, place in case.breaking:
        assert found(changes, True, rule, words, place), f"no breaking {rule} '{words}' at {place}:\n{shown(changes)}"
    for rule, words, place in case.non_breaking:
        assert found(changes, False, rule, words, place), f"no non-breaking {rule} at {place}:\n{shown(changes)}"


@pytest.mark.parametrize("name", COMPATIBLE)
def test_each_compatible_change_is_listed_and_not_flagged(name: str, results: dict[str, list[Change]]) -> None:
    changes, case = results[name], COMPATIBLE[name]
    assert not [change for change in changes if change.breaking], shown(changes)
    for rule, words, place in case.non_breaking:
        assert found(changes, False, rule, words, place), f"no {rule} '{words}' at {place}:\n{shown(changes)}"


@pytest.mark.parametrize("name", INVISIBLE)
def test_descriptions_examples_and_versions_are_no_change(name: str, results: dict[str, list[Change]]) -> None:
    assert results[name] == []


def test_each_change_points_into_the_spec_that_has_it(base: Any, results: dict[str, list[Change]]) -> None:
    """Every pointer resolves: in the new spec, or in the old one for what was removed."""
    for name, case in {**BREAKING, **COMPATIBLE}.items():
        new = edited(base, case.edits)
        for change in results[name]:
            target = change.pointer.split("#", 1)[1]
            assert _resolves(new, target) or _resolves(base, target), (name, change)


def _resolves(document: Any, target: str) -> bool:
    try:
        resolve(document, f"#{target}")
    except (KeyError, IndexError):
        return False
    return True


# -- the version gate -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "major"),
    [
        ("2.0.0", "3.0.0", True),
        ("2.4.1", "3.0.0-rc.1", True),
        ("2.0.0", "2.1.0", False),
        ("2.0.0", "2.0.1", False),
        ("3.0.0", "2.0.0", False),
        ("v1", "v2", True),
        ("v1", "v1.1", False),
        ("0.1.0", "0.2.0", True),  # below 1.0.0 the minor is the breaking number, as in Cargo and npm
        ("0.1.0", "0.1.9", False),
        ("0.1.0", "1.0.0", True),
        ("1.0.0", "next", None),
    ],
)
def test_a_major_bump_is_the_first_non_zero_number_going_up(old: str, new: str, major: bool | None) -> None:
    assert major_bump(old, new) is major


def test_semver_versions_are_read_leniently_and_others_not_at_all() -> None:
    assert parse_version("v1") == (1, 0, 0)
    assert parse_version("2.0.0+build.5") == (2, 0, 0)
    assert parse_version("latest") is None


def test_the_gate_fails_on_breaking_changes_without_a_major_bump(base: Any) -> None:
    breaking = Change(True, "PUT /widgets/{id} request body", "field `size` is now required", "#/x", "required")
    bumped = edited(base, [("set", "/info/version", "2.0.0")])
    minor = edited(base, [("set", "/info/version", "1.3.0")])

    assert ApiDiff("widgets", base, minor, [breaking]).failed
    assert not ApiDiff("widgets", base, bumped, [breaking]).failed
    assert not ApiDiff("widgets", base, minor, [dataclasses.replace(breaking, breaking=False)]).failed
    assert not ApiDiff("widgets", None, base).failed  # a new spec is added, nothing breaks
    assert ApiDiff("widgets", base, None).failed  # a removed spec breaks every client


# -- in a scratch repository --------------------------------------------------------------------------------------


def remove_response_property(spec: dict[str, Any]) -> None:
    workspace = spec["components"]["schemas"]["Workspace"]
    del workspace["properties"]["company_id"]
    workspace["required"].remove("company_id")


def require_request_field(spec: dict[str, Any]) -> None:
    spec["components"]["schemas"]["UpdateWorkspaceRequest"]["required"].append("name")


def remove_enum_value(spec: dict[str, Any]) -> None:
    spec["components"]["schemas"]["Source"]["enum"].remove("GLOBANT")


def remove_status(spec: dict[str, Any]) -> None:
    del spec["paths"]["/workspaces/{id}"]["put"]["responses"]["429"]


ACCEPTANCE: dict[str, tuple[Callable[[dict[str, Any]], None], str]] = {
    "required request field": (require_request_field, "request body: field `name` is now required"),
    "response property removed": (remove_response_property, "200 response: field `company_id` removed"),
    "enum value removed": (remove_enum_value, 'field `metadata.source`: enum value `"GLOBANT"` removed'),
    "documented status removed": (remove_status, "PUT /workspaces/{id} 429 response: status no longer documented"),
}


def gate_status(result: subprocess.CompletedProcess[str]) -> int:
    """The exit status of the spec-diff driver under ``make``: make exits 2 for any failed recipe (it has no other
    status for it) and names the recipe's own status in its message, ``[Makefile:NN: spec-diff] Error 1``."""
    if result.returncode == 0:
        return 0
    assert result.returncode == 2, result.returncode
    statuses = re.findall(r"\[Makefile:\d+: spec-diff\] Error (\d+)$", result.stderr, re.MULTILINE)
    assert len(statuses) == 1, result.stderr
    return int(statuses[0])


@pytest.mark.parametrize("name", ACCEPTANCE)
def test_make_spec_diff_fails_a_breaking_commit_until_the_major_version_goes_up(
    name: str, scratch_repo: ScratchRepo
) -> None:
    edit, named = ACCEPTANCE[name]
    scratch_repo.reset()
    scratch_repo.edit_spec("cor", edit)
    scratch_repo.commit(f"cor: {name}")

    refused = scratch_repo.make("spec-diff")

    assert gate_status(refused) == 1, refused.stdout + refused.stderr
    assert "BREAKING without a major version bump (make info.version 3.0.0 or more)" in refused.stdout
    assert named in refused.stdout, refused.stdout
    assert "breaking changes without a major version bump in: cor" in refused.stderr

    scratch_repo.edit_spec("cor", lambda spec: spec["info"].update(version="3.0.0"))
    scratch_repo.commit(f"cor: {name}, as 3.0.0", amend=True)

    allowed = scratch_repo.make("spec-diff")

    assert allowed.returncode == 0, allowed.stdout + allowed.stderr
    assert "2.0.0 → 3.0.0: breaking, with a major version bump" in allowed.stdout
    assert named in allowed.stdout


def test_make_spec_diff_passes_an_optional_field_and_lists_it(scratch_repo: ScratchRepo) -> None:
    scratch_repo.reset()
    scratch_repo.edit_spec(
        "cor",
        lambda spec: spec["components"]["schemas"]["UpdateWorkspaceRequest"]["properties"].update(
            colour={"type": "string", "description": "A colour.", "example": "red"}
        ),
    )
    scratch_repo.commit("cor: optional colour")

    result = scratch_repo.make("spec-diff")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "cor (openapi/cor.yaml, COR Integrations API): 2.0.0 → 2.0.0: no breaking change" in result.stdout
    assert "non-breaking  PUT /workspaces/{id} request body: new optional field `colour`" in result.stdout
    assert "nexudus (openapi/nexudus.yaml, Nexudus Spaces API): 1.0.0 → 1.0.0: no breaking change" in result.stdout


def test_make_spec_diff_reports_added_and_removed_specs(scratch_repo: ScratchRepo) -> None:
    scratch_repo.reset()
    (scratch_repo.root / "openapi/widgets.yaml").write_text(BASE_SPEC.read_text(encoding="utf-8"), encoding="utf-8")
    scratch_repo.commit("widgets: a new API")

    added = scratch_repo.make("spec-diff")

    assert added.returncode == 0, added.stdout + added.stderr
    assert "widgets (openapi/widgets.yaml, Widgets API): added at version 1.2.0" in added.stdout

    (scratch_repo.root / "openapi/widgets.yaml").unlink()
    scratch_repo.commit("widgets: gone again")

    removed = scratch_repo.make("spec-diff")

    assert gate_status(removed) == 1
    assert "widgets (openapi/widgets.yaml, Widgets API): removed (was version 1.2.0): breaking" in removed.stdout


def test_make_spec_diff_names_a_base_it_cannot_find(scratch_repo: ScratchRepo) -> None:
    scratch_repo.reset()

    result = scratch_repo.make("spec-diff", "BASE=no-such-ref")

    assert gate_status(result) == 2
    assert "spec-diff: no-such-ref is not a commit of this repository" in result.stderr

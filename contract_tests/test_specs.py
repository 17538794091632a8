"""Static checks of every spec in ``openapi/``: valid OpenAPI, complete operations, true examples, sound x-assumptions.

Specs are found by glob, so a new vendor spec is checked as soon as it is added. A spec is a YAML file in
``openapi/`` with a top-level ``openapi`` key (other YAML there, such as a generator config, is not a spec);
every spec but ``mock_admin.yaml`` describes a vendor API.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest
from openapi_schema_validator import OAS30Validator, oas30_format_checker
from openapi_spec_validator import validate

from .spec_tools import (
    ExampleFailure,
    dereference,
    example_failures,
    extension_values,
    load_document,
    operations,
    pointer,
    refs,
    resolve,
)

SPEC_DIR = Path(__file__).parents[1] / "openapi"
ADMIN_SPEC = "mock_admin.yaml"
SPECS = {path.name: path for path in sorted(SPEC_DIR.glob("*.yaml")) if "openapi" in load_document(path)}
VENDOR_SPECS = sorted(name for name in SPECS if name != ADMIN_SPEC)
VENDOR_ERROR_STATUSES = ("400", "401", "404", "500")
OPERATION_ID = re.compile(r"[a-z]+(_[a-z]+)+")

COR_SOURCES = (
    "JIRA",
    "SALESFORCE",
    "ADVERTMIND",
    "QUICKBOOKS",
    "ZAPIER",
    "OKTA",
    "MICROSOFT_DYNAMICS",
    "GITHUB",
    "MICROSOFT_TEAMS",
    "VBS",
    "SAP",
    "GLOBANT",
)
# The request examples of COR's docs, by the name they carry in the spec, and the operation they belong to.
COR_DOC_REQUESTS = {
    "microsoft_teams_workspace": ("/workspaces/{id}", "put"),
    "okta_user": ("/users/{id}", "put"),
    "microsoft_dynamics_attach": ("/users/{id}/attach", "put"),
}
JSON = "application/json"


def spec(name: str) -> dict[str, Any]:
    return load_document(SPECS[name])


def cor_request(document: dict[str, Any], example: str) -> tuple[dict[str, Any], Any]:
    """The (dereferenced) request schema of a COR doc example's operation, and the example's value."""
    path, method = COR_DOC_REQUESTS[example]
    media = dereference(document)["paths"][path][method]["requestBody"]["content"][JSON]
    return media["schema"], copy.deepcopy(media["examples"][example]["value"])


def schema_errors(schema: dict[str, Any], instance: Any) -> list[str]:
    validator = OAS30Validator(schema, format_checker=oas30_format_checker)
    return [error.message for error in validator.iter_errors(instance)]


def enum_of(schema: dict[str, Any]) -> list[Any]:
    """The ``enum`` of a schema, itself or through the members of its ``allOf``."""
    if "enum" in schema:
        return list(schema["enum"])
    return [value for member in schema.get("allOf", []) for value in enum_of(member)]


def test_spec_folder_holds_the_cor_and_admin_specs() -> None:
    assert {"cor.yaml", ADMIN_SPEC} <= set(SPECS), sorted(SPECS)


@pytest.mark.parametrize("name", sorted(SPECS))
def test_spec_is_valid_openapi(name: str) -> None:
    validate(spec(name), base_uri=SPECS[name].as_uri())


@pytest.mark.parametrize("name", sorted(SPECS))
def test_every_operation_has_id_summary_description_and_one_declared_tag(name: str) -> None:
    document = spec(name)
    declared_tags = {tag["name"] for tag in document.get("tags", [])}
    problems = []
    for path, method, operation in operations(document):
        where = f"{method.upper()} {path}"
        if not OPERATION_ID.fullmatch(operation.get("operationId", "")):
            problems.append(f"{where}: operationId {operation.get('operationId')!r} is not snake_case verb_noun")
        for field in ("summary", "description"):
            if not str(operation.get(field, "")).strip():
                problems.append(f"{where}: no {field}")
        tags = operation.get("tags", [])
        if len(tags) != 1 or tags[0] not in declared_tags:
            problems.append(f"{where}: tags {tags} are not exactly one tag declared in the top-level tags")
    assert list(operations(document)), f"{name} has no operations"
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("name", VENDOR_SPECS)
def test_every_vendor_operation_documents_400_401_404_and_500(name: str) -> None:
    missing = [
        f"{method.upper()} {path}: no {status} response"
        for path, method, operation in operations(spec(name))
        for status in VENDOR_ERROR_STATUSES
        if status not in operation.get("responses", {})
    ]
    assert missing == [], "\n".join(missing)


@pytest.mark.parametrize("name", sorted(SPECS))
def test_every_example_validates_against_its_schema(name: str) -> None:
    failures = example_failures(spec(name))
    assert failures == [], "\n".join(map(str, failures))


def test_example_check_reports_exactly_the_broken_examples() -> None:
    document = copy.deepcopy(spec("cor.yaml"))
    user_request = pointer("paths", "/users/{id}", "put", "requestBody", "content", JSON, "examples", "okta_user")
    workspace_response = pointer(
        "paths", "/workspaces/{id}", "put", "responses", "200", "content", JSON, "examples", "microsoft_teams_workspace"
    )
    resolve(document, user_request)["value"]["role_id"] = "three"
    resolve(document, workspace_response)["value"]["id"] = "5001"

    failures = example_failures(document)

    assert {(f.where, f.instance_path) for f in failures} == {(user_request, "role_id"), (workspace_response, "id")}
    assert all(isinstance(f, ExampleFailure) and "is not of type 'integer'" in f.message for f in failures)
    assert len(failures) == 2, "\n".join(map(str, failures))


@pytest.mark.parametrize("name", sorted(SPECS))
def test_every_x_assumption_is_a_sentence(name: str) -> None:
    bad = [
        f"{where}: {value!r}"
        for where, value in extension_values(spec(name), "x-assumption")
        if not (
            isinstance(value, str)
            and value.strip() == value
            and value[:1].isupper()
            and value.endswith(".")
            and len(value.split()) >= 5
        )
    ]
    assert bad == [], "\n".join(bad)


def test_cor_spec_marks_its_assumptions() -> None:
    assert len(list(extension_values(spec("cor.yaml"), "x-assumption"))) >= 10


@pytest.mark.parametrize("example", sorted(COR_DOC_REQUESTS))
def test_cor_doc_request_example_validates_against_its_request_schema(example: str) -> None:
    schema, value = cor_request(spec("cor.yaml"), example)
    assert schema_errors(schema, value) == []


def test_cor_request_without_metadata_source_is_invalid() -> None:
    schema, value = cor_request(spec("cor.yaml"), "okta_user")
    del value["metadata"]["source"]
    assert schema_errors(schema, value) == ["'source' is a required property"]


def test_cor_request_without_metadata_is_invalid() -> None:
    schema, value = cor_request(spec("cor.yaml"), "okta_user")
    del value["metadata"]
    assert schema_errors(schema, value) == ["'metadata' is a required property"]


@pytest.mark.parametrize("name", sorted(SPECS))
def test_every_ref_is_internal_and_resolves(name: str) -> None:
    document = spec(name)
    problems = []
    for where, target in refs(document):
        if not target.startswith("#/"):
            problems.append(f"{where}: $ref {target!r} is not internal")
            continue
        try:
            resolve(document, target)
        except (KeyError, IndexError, TypeError, ValueError):
            problems.append(f"{where}: $ref {target!r} points nowhere")
    assert problems == [], "\n".join(problems)


def test_cor_metadata_source_enum_holds_exactly_the_twelve_sources() -> None:
    document = dereference(spec("cor.yaml"))
    source = document["components"]["schemas"]["Metadata"]["properties"]["source"]
    enum = enum_of(source)
    assert sorted(enum) == sorted(COR_SOURCES)
    assert len(enum) == len(set(enum)) == 12

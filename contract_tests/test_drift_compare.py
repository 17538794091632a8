"""The parts of a drift run: how two answers are compared, what a cassette hides and keeps, what the mock learns.

``test_drift.py`` runs the whole through ``make``; here each rule is pinned on its own, with answers written out.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest

from .cassette import MASK, CassetteError, Exchange, Masker, Request, Response, read, write
from .contract import Live, resolve_ref, vendor_specs
from .drift.compare import Finding, Rules, compare, documented_headers
from .drift.learn import CorLearner, NexudusLearner, learner, path_parameters
from .drift.session import TENANT, MockTenant
from .spec_tools import walk

SPECS = {spec.name: spec for spec in vendor_specs()}
RULES = {name: Rules.of(spec.document) for name, spec in SPECS.items()}
JSON = (("Content-Type", "application/json"),)


def answer(status: int, body: Any = None, headers: tuple[tuple[str, str], ...] = JSON) -> Response:
    data = b"" if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
    return Response(status, headers, data)


def put(body: Any = None) -> Request:
    return Request("PUT", "/x", JSON, None if body is None else json.dumps(body).encode())


def kinds(findings: list[Finding]) -> list[tuple[str, str]]:
    return [(finding.kind, finding.detail) for finding in findings]


# -- x-drift ---------------------------------------------------------------------------------------------------------


def _property_names(document: Any) -> set[str]:
    return {str(key) for _, node in walk(document) if isinstance(node, dict) for key in node.get("properties", {})}


@pytest.mark.parametrize("name", sorted(SPECS))
def test_each_vendor_spec_declares_fields_it_has(name: str) -> None:
    """A misspelt volatile field would silently be compared by value; a misspelt identity field, never."""
    rules, properties = RULES[name], _property_names(SPECS[name].document)
    assert rules.volatile and rules.error_identity
    assert rules.volatile <= properties
    for field in rules.error_identity:
        assert set(field.replace("[]", "").split(".")) <= properties, field


def test_a_spec_without_x_drift_is_refused_with_the_reason() -> None:
    with pytest.raises(ValueError, match="declares no x-drift"):
        Rules.of({"openapi": "3.0.3"})
    with pytest.raises(ValueError, match=r"x-drift\.volatile must be a list of field names"):
        Rules.of({"x-drift": {"volatile": "updated_at"}})


# -- comparing answers -----------------------------------------------------------------------------------------------


def test_a_different_status_is_the_one_difference_and_names_both_errors() -> None:
    live = answer(400, {"status": 400, "name": "ValidationError", "message": "m", "errors": []})
    mock = answer(404, {"status": 404, "name": "WorkspaceNotFoundError", "code": "ZC001", "message": "m"})

    assert kinds(compare(RULES["cor"], put(), live, mock)) == [
        (
            "status",
            'live 400 (name "ValidationError"), the mock 404 (name "WorkspaceNotFoundError", code "ZC001")',
        )
    ]


def test_cor_errors_are_named_by_name_and_code_and_their_keys() -> None:
    live = answer(404, {"status": 404, "name": "UserNotFoundError", "code": "ZC001", "message": "one"})
    mock = answer(404, {"status": 404, "name": "WorkspaceNotFoundError", "message": "another", "errors": []})

    assert kinds(compare(RULES["cor"], put(), live, mock)) == [
        ("error", 'name: live "UserNotFoundError", the mock "WorkspaceNotFoundError"'),
        ("error", 'code: live "ZC001", the mock absent'),
        ("error", "error keys: only live sends `code`; only the mock sends `errors`"),
    ]
    assert compare(RULES["cor"], put(), live, answer(404, {**json.loads(live.body), "message": "other words"})) == []


def test_nexudus_errors_are_named_by_the_properties_of_their_violations_in_any_order() -> None:
    def envelope(*names: str) -> Response:
        errors = [{"AttemptedValue": None, "Message": "m", "PropertyName": name} for name in names]
        return answer(400, {"Message": "m", "Value": None, "Errors": errors, "WasSuccessful": False})

    rules = RULES["nexudus"]
    assert compare(rules, put(), envelope("Name", "Id"), envelope("Id", "Name")) == []
    assert kinds(compare(rules, put(), envelope("Name"), envelope("Name", "Id"))) == [
        ("error", 'Errors[].PropertyName: live ["Name"], the mock ["Id", "Name"]')
    ]


def test_dreadnode_errors_are_named_by_their_type() -> None:
    live = answer(422, {"code": 422, "detail": "a", "type": "validation_error"})
    mock = answer(422, {"code": 422, "detail": "b", "type": "invalid_request_error"})

    assert kinds(compare(RULES["dreadnode"], put(), live, mock)) == [
        ("error", 'type: live "validation_error", the mock "invalid_request_error"')
    ]


def test_error_bodies_that_are_not_objects_are_compared_as_they_are() -> None:
    rules = RULES["nexudus"]
    assert compare(rules, put(), answer(404, "Not found"), answer(404, "Not found")) == []
    assert compare(rules, put(), answer(502, b"<html>a</html>"), answer(502, b"<html>b</html>")) == []
    assert kinds(compare(rules, put(), answer(404, "Not found"), answer(404))) == [
        ("error", 'body: live sends the JSON string "Not found", the mock an empty body')
    ]


WORKSPACE = {
    "id": 5001,
    "name": "Marketing",
    "active": True,
    "description": None,
    "company_id": 1234,
    "created_at": "2025-01-10T14:30:00Z",
    "updated_at": "2025-01-15T10:00:00Z",
}


def test_successes_equal_but_for_volatile_values_do_not_differ() -> None:
    later = {**WORKSPACE, "updated_at": "2031-01-01T00:00:00Z", "created_at": "2030-01-01T00:00:00Z"}
    assert compare(RULES["cor"], put({"name": "Marketing"}), answer(200, WORKSPACE), answer(200, later)) == []


def test_volatile_fields_are_still_compared_by_type() -> None:
    mock = answer(200, {**WORKSPACE, "updated_at": None})
    assert kinds(compare(RULES["cor"], put(), answer(200, WORKSPACE), mock)) == [
        ("type", "`updated_at`: live string, the mock null")
    ]


def test_success_keys_types_echoes_and_values_are_compared() -> None:
    sent = {"metadata": {"source": "MICROSOFT_TEAMS"}, "name": "Sent", "active": False}
    live = {**WORKSPACE, "name": "Sent", "active": False, "json_integrations": {"a": 1, "b": 2}}
    mock = {**WORKSPACE, "name": "Old", "active": False, "description": "text", "company_id": 99, "extra": 1}
    mock.pop("id")

    assert kinds(compare(RULES["cor"], put(sent), answer(200, live), answer(200, mock))) == [
        ("type", "`description`: live null, the mock string"),
        ("extra field", "`extra`: the mock sends it, live does not"),
        ("missing field", "`id`: live sends it, the mock does not"),
        ("missing field", "`json_integrations`: live sends it, the mock does not"),  # once, not once per key
        ("echo", '`name` sent as "Sent": live answers it as sent, the mock answers "Old"'),
        ("value", "`company_id`: live 1234, the mock 99"),
    ]


def test_lists_are_compared_by_length_and_item_by_item() -> None:
    live = {"workspaces": [{"id": 1, "pivot": {"percentage": 10}}, {"id": 2, "pivot": {"percentage": 20}}]}
    mock = {"workspaces": [{"id": 1, "pivot": {"percentage": 15}}]}

    assert kinds(compare(RULES["cor"], put(), answer(200, live), answer(200, mock))) == [
        ("value", "`workspaces`: live has 2 items, the mock 1"),
        ("value", "`workspaces[0].pivot.percentage`: live 10, the mock 15"),
    ]
    assert compare(RULES["cor"], put(), answer(200, {"workspaces": []}), answer(200, {"workspaces": []})) == []


def test_retry_after_www_authenticate_and_documented_headers_are_compared() -> None:
    live = answer(409, None, (("Retry-After", "1"),))
    mock = answer(409, None, (("WWW-Authenticate", 'Basic realm="x"'),))

    assert kinds(compare(RULES["nexudus"], put(), live, mock, ["X-Documented"])) == [
        ("header", 'Retry-After: live "1", the mock sends none'),
        ("header", 'WWW-Authenticate: live sends none, the mock "Basic realm=\\"x\\""'),
    ]
    both = answer(409, None, (("X-Documented", "a"),)), answer(409, None, (("x-documented", "b"),))
    assert kinds(compare(RULES["nexudus"], put(), *both, ["X-Documented"])) == [
        ("header", 'X-Documented: live "a", the mock "b"')
    ]


def test_the_documented_headers_are_read_from_the_spec() -> None:
    assert documented_headers(SPECS["nexudus"].document, "PUT /collaboration/workspaces", 409) == ["Retry-After"]
    assert documented_headers(SPECS["dreadnode"].document, "GET /org/{org}/ws/{workspace}", 401) == ["WWW-Authenticate"]
    assert documented_headers(SPECS["cor"].document, "PUT /workspaces/{id}", 200) == []


# -- cassettes -------------------------------------------------------------------------------------------------------

TOKEN = "tok-123456"


def test_the_token_is_masked_wherever_it_appears_and_cookies_whole() -> None:
    masker = Masker(secrets=(TOKEN,))
    exchange = Exchange(
        "PUT /x",
        Request("PUT", f"/x?key={TOKEN}", (("Authorization", f"Bearer {TOKEN}"), ("Cookie", "s=1")), TOKEN.encode()),
        Response(200, (("Set-Cookie", "s=2"),), json.dumps({"echo": f"a {TOKEN} b"}).encode()),
    )
    masked = masker.exchange(exchange)

    assert TOKEN not in repr(masked)
    assert masked.request.path == f"/x?key={MASK}"
    assert masked.request.headers == (("Authorization", f"Bearer {MASK}"), ("Cookie", MASK))
    assert masked.request.body == MASK.encode()
    assert masked.response.headers == (("Set-Cookie", MASK),)
    assert json.loads(masked.response.body) == {"echo": f"a {MASK} b"}


def test_sandbox_ids_become_their_stand_ins_without_touching_anything_else() -> None:
    masker = Masker(substitutes={"SANDBOX-WS": "TEAMS-WS-12345", "ab": "example", "4567": 123, 4567: 123})
    body = {"Id": 4567, "Name": "in SANDBOX-WS", "Other": 45678, "Flag": True, "Key": "ab", "Text": "abc", "N": "x4567"}

    assert json.loads(masker.body(json.dumps(body).encode()) or b"") == {
        "Id": 123,
        "Name": "in TEAMS-WS-12345",
        "Other": 45678,
        "Flag": True,
        "Key": "example",
        "Text": "abc",  # a short ID only as a whole value
        "N": "x4567",  # digits only as a whole value
    }
    assert masker.path("/org/ab/ws/SANDBOX-WS/4567?q=ab") == "/org/example/ws/TEAMS-WS-12345/123?q=ab"
    untouched = b'{"a":  1}'
    assert masker.body(untouched) is untouched


def test_a_cassette_is_a_har_file_that_reads_back_as_written(tmp_path: Path) -> None:
    exchanges = [
        Exchange(
            "PUT /workspaces/{id}",
            Request("PUT", "/workspaces/W%201?a=b", (("Content-Type", "application/json"),), b'{"name": "\xff\xfe"}'),
            Response(400, (("Content-Type", "application/json"), ("Retry-After", "1")), b'{"e": 1}'),
        ),
        Exchange("GET /ws/{id}", Request("GET", "/ws/1"), Response(204)),
    ]
    path = tmp_path / "c.har"
    write(path, exchanges, base_url="https://api.example.com/v2/integrations", comment="test")

    har = json.loads(path.read_text(encoding="utf-8"))
    assert har["log"]["version"] == "1.2"
    assert har["log"]["entries"][0]["request"]["url"] == "https://api.example.com/v2/integrations/workspaces/W%201?a=b"
    assert har["log"]["entries"][0]["request"]["queryString"] == [{"name": "a", "value": "b"}]
    assert har["log"]["entries"][0]["comment"] == "PUT /workspaces/{id}"
    assert read(path, "/v2/integrations") == exchanges


def test_an_unreadable_cassette_is_refused_naming_the_entry(tmp_path: Path) -> None:
    path = tmp_path / "c.har"
    path.write_text("[]", encoding="utf-8")
    with pytest.raises(CassetteError, match="not a HAR file"):
        read(path, "/api")
    write(path, [Exchange("GET /a", Request("GET", "/a"), Response(200))], base_url="https://h/other", comment="")
    with pytest.raises(CassetteError, match=r"entry 0: https://h/other/a is not under the API.s base path /api"):
        read(path, "/api")


def test_a_recording_names_one_stand_in_per_sandbox_entity() -> None:
    """Nexudus names its workspace by the PUT body's integer Id and by the GET's path: both get the same stand-in."""
    nexudus = Live(SPECS["nexudus"], {"NEXUDUS_LIVE_WORKSPACE_ID": "7301942"})
    example = resolve_ref(SPECS["nexudus"].document, {"$ref": "#/components/schemas/RecordId"})["example"]
    assert nexudus.stand_ins() == {"7301942": example, 7301942: example}

    dreadnode = Live(SPECS["dreadnode"], {"DREADNODE_LIVE_ORG": "acme", "DREADNODE_LIVE_WORKSPACE": "sandbox"})
    assert dreadnode.stand_ins() == {"acme": "example", "sandbox": "example"}


# -- the mock's tenant and what it learns ------------------------------------------------------------------------


def test_the_masked_live_credential_becomes_the_tenants_in_each_scheme(tmp_path: Path) -> None:
    tenant = MockTenant(SPECS["nexudus"], tmp_path)
    basic = base64.b64encode(f"{TENANT}:{tenant.token}".encode()).decode()

    assert tenant.credential(f"Bearer {MASK}") == f"Bearer {tenant.token}"
    assert tenant.credential(f"Basic {MASK}") == f"Basic {basic}"
    assert tenant.credential(MASK) == tenant.token
    assert tenant.credential("Bearer spoilt") == "Bearer spoilt"  # a negative case's credential is sent as it is


def test_an_api_without_a_get_is_primed_with_updates_that_change_nothing() -> None:
    primers = learner(SPECS["cor"]).primers()
    sources = resolve_ref(SPECS["cor"].document, {"$ref": "#/components/schemas/Source"})["enum"]

    assert [(p.method, p.path, p.body) for p in primers] == [
        ("PUT", path, {"metadata": {"source": source}})
        for path in ("/workspaces/{id}", "/users/{id}")
        for source in sources
    ]
    assert [(p.method, p.path) for p in learner(SPECS["nexudus"]).primers()] == [
        ("GET", "/collaboration/workspaces/{id}")
    ]


def test_path_parameters_are_read_back_from_a_path() -> None:
    assert path_parameters("PUT /users/{id}/attach", "/users/A%20B/attach") == {"id": "A B"}
    assert path_parameters("PUT /org/{org}/ws/{workspace}", "/org/acme/ws/w?x=1") == {"org": "acme", "workspace": "w"}
    assert path_parameters("PUT /users/{id}", "/workspaces/x") == {}


def apply(facts: list[Any], state: dict[str, Any]) -> dict[str, Any]:
    for _, write_fact in facts:
        write_fact(state)
    return state


def test_cor_learns_the_user_its_workspaces_and_their_pivots_from_an_attach_answer() -> None:
    shown = {
        "id": 8545,
        "name": "John Doe",
        "email": "john@example.com",
        "workspaces": [
            {
                "id": 1,
                "name": "W5",
                "active": True,
                "metadata": {},
                "json_integrations": {
                    "integration_id": 16,
                    "source": "MICROSOFT_DYNAMICS",
                    "origin_external_id": "W-5",
                },
                "created_at": "2026-01-15 22:42:15",
                "updated_at": "2026-01-15 22:42:15",
                "pivot": {"workspace_id": 1, "user_id": 8545, "percentage": 10},
            }
        ],
    }
    request = Request(
        "PUT", "/users/U-1/attach", JSON, json.dumps({"metadata": {"source": "MICROSOFT_DYNAMICS"}}).encode()
    )
    exchange = Exchange("PUT /users/{id}/attach", request, answer(200, shown))
    state = {"company_id": 1, "integrations": {}, "workspaces": {}, "users": {}, "positions": {}, "seniorities": {}}

    learned = apply(CorLearner(SPECS["cor"]).facts(exchange), state)

    user = learned["users"]["MICROSOFT_DYNAMICS"]["U-1"]
    assert (user["id"], user["email"], user["first_name"], user["last_name"]) == (
        8545,
        "john@example.com",
        "John",
        "Doe",
    )
    assert user["workspaces"] == {"W-5": {"percentage": 10, "attached_at": "2026-01-15T22:42:15Z"}}
    workspace = learned["workspaces"]["MICROSOFT_DYNAMICS"]["W-5"]
    assert (workspace["id"], workspace["name"], workspace["created_at"]) == (1, "W5", "2026-01-15T22:42:15Z")
    assert learned["integrations"] == {"MICROSOFT_DYNAMICS": 16}
    assert CorLearner(SPECS["cor"]).facts(Exchange("PUT /users/{id}/attach", request, answer(404, {}))) == []


def test_nexudus_learns_a_record_from_its_get_only() -> None:
    record = {"Id": 7, "Name": "N", "Members": [1], "CreatedOn": "2024-06-01T09:00:00Z"}
    nexudus = NexudusLearner(SPECS["nexudus"])
    read_back = Exchange(
        "GET /collaboration/workspaces/{id}", Request("GET", "/collaboration/workspaces/7"), answer(200, record)
    )
    envelope = {"Status": 200, "Value": {"Id": 7}, "WasSuccessful": True}
    written = Exchange("PUT /collaboration/workspaces", put({"Id": 7, "Name": "N"}), answer(200, envelope))

    learned = apply(nexudus.facts(read_back), {"workspaces": {}})["workspaces"]["7"]
    assert {key: learned[key] for key in record} == record
    assert learned["Archived"] is False  # not shown: the placeholder, until an answer shows it
    assert nexudus.facts(written) == []

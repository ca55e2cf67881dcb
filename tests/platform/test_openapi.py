"""The merged OpenAPI document is one an integrator can generate a client from: unique schema
names, readable operation ids, declared security, headers and errors."""

import re
from collections import Counter
from typing import Any

import pytest
from fastapi.testclient import TestClient

from common.db import Database
from common.settings import Settings
from gateway.openapi import component_name
from stack.testing.plugin import build_system

Operation = tuple[str, str, dict[str, Any]]


@pytest.fixture
def document(api: TestClient) -> dict[str, Any]:
    response = api.get("/api/v1/openapi.json")
    assert response.status_code == 200
    result: dict[str, Any] = response.json()
    assert "Not available right now" not in result["info"].get("description", "")
    return result


def operations(document: dict[str, Any]) -> list[Operation]:
    return [
        (method, path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in {"get", "post", "put", "patch", "delete"}
    ]


def test_schema_names_are_unique_without_dots_and_match_their_titles(
    document: dict[str, Any],
) -> None:
    schemas = document["components"]["schemas"]
    assert [name for name in schemas if not re.fullmatch(r"[A-Za-z0-9]+", name)] == []
    assert [name for name, schema in schemas.items() if schema.get("title") != name] == []
    assert {"KpiRag", "ProjectsRag", "KpiAuditEventRead", "AuditEventRead"} <= set(schemas)


def test_every_reference_names_a_schema_that_exists(document: dict[str, Any]) -> None:
    text = str(document)
    refs = set(re.findall(r"#/components/schemas/([^'\"]+)", text))
    assert refs - set(document["components"]["schemas"]) == set()


def test_component_names_join_the_words_of_the_service_and_the_schema() -> None:
    assert component_name("kpi", "Page_MeasureRead_") == "KpiPageMeasureRead"
    assert component_name("", "Page_AuditEventRead_") == "PageAuditEventRead"


def test_operation_ids_are_the_route_functions_prefixed_only_where_two_collide(
    document: dict[str, Any],
) -> None:
    ids = {(m, p): op["operationId"] for m, p, op in operations(document)}
    assert [i for i, n in Counter(ids.values()).items() if n > 1] == []
    assert ids["get", "/api/v1/kpi/measures"] == "list_measures"
    assert ids["patch", "/api/v1/projects/milestones/{milestone_id}"] == "update_milestone"
    assert ids["get", "/api/v1/audit-events"] == "list_audit_events"
    assert ids["get", "/api/v1/kpi/audit-events"] == "kpi_list_audit_events"


def test_every_operation_has_a_summary_for_people(document: dict[str, Any]) -> None:
    assert [p for _, p, op in operations(document) if not op.get("summary", "").strip()] == []
    summaries = {op["operationId"]: op["summary"] for _, _, op in operations(document)}
    assert summaries["update_activity_measure"] == "Change an activity measure (e.g. reviews done)"


def test_security_is_declared_and_only_sign_in_needs_none(document: dict[str, Any]) -> None:
    schemes = document["components"]["securitySchemes"]
    assert schemes["ApiKey"] == {**schemes["ApiKey"], "type": "http", "scheme": "bearer"}
    assert schemes["SessionCookie"]["in"] == "cookie"
    assert {"ApiKey": []} in document["security"]
    open_ops = {(m, p) for m, p, op in operations(document) if op.get("security") == []}
    assert ("post", "/api/v1/sessions") in open_ops
    assert all(p.startswith(("/api/v1/sessions", "/api/v1/password-resets")) for _, p in open_ops)


def test_a_401_says_to_authenticate_with_a_bearer_token(
    settings: Settings, database: Database
) -> None:
    with build_system(settings, database, caller=None).client() as anonymous:
        response = anonymous.get("/api/v1/kpi/measures", headers={"Authorization": "Bearer bad"})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_every_update_that_checks_if_match_declares_it_with_412_and_428(
    document: dict[str, Any],
) -> None:
    patch = document["paths"]["/api/v1/kpi/measures/{measure_id}"]["patch"]
    header = next(p for p in patch["parameters"] if p["name"] == "If-Match")
    assert header["in"] == "header"
    assert header["required"] is True
    assert {"409", "412", "428"} <= set(patch["responses"])
    assert "ETag" in patch["responses"]["200"]["headers"]
    unchecked = [
        p for m, p, op in operations(document) if m == "patch" and "412" not in op["responses"]
    ]
    assert unchecked == []


def test_reads_of_one_record_declare_their_etag(document: dict[str, Any]) -> None:
    read = document["paths"]["/api/v1/projects/milestones/{milestone_id}"]["get"]
    assert "ETag" in read["responses"]["200"]["headers"]


def test_service_posts_declare_idempotency_key_and_the_replayed_header(
    document: dict[str, Any],
) -> None:
    create = document["paths"]["/api/v1/kpi/measures"]["post"]
    assert any(p["name"] == "Idempotency-Key" for p in create["parameters"])
    assert "Idempotent-Replayed" in create["responses"]["201"]["headers"]


def test_rate_limit_and_body_limit_answers_are_declared(document: dict[str, Any]) -> None:
    for _, _, operation in operations(document):
        too_many = operation["responses"]["429"]
        assert "Retry-After" in too_many["headers"]
        assert "application/problem+json" in too_many["content"]
        if "requestBody" in operation:
            assert "413" in operation["responses"]


def test_every_answer_to_a_signed_in_caller_declares_the_rate_limit_headers(
    document: dict[str, Any],
) -> None:
    names = {"RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"}
    undeclared = [
        (method, path, status)
        for method, path, operation in operations(document)
        if operation.get("security") != []
        for status, response in operation["responses"].items()
        if (status[0] == "2" or status == "429") and not names <= set(response.get("headers", {}))
    ]
    assert undeclared == []


def test_every_list_answers_one_page_in_the_one_envelope(document: dict[str, Any]) -> None:
    """No bare arrays: every read that answers many answers `items`, `total`, `limit` and
    `offset`, and takes `limit` and `offset`."""
    schemas = document["components"]["schemas"]

    def answer(operation: dict[str, Any]) -> dict[str, Any]:
        ok = operation["responses"].get("200", {}).get("content", {})
        schema: dict[str, Any] = ok.get("application/json", {}).get("schema", {})
        named: dict[str, Any] = schemas.get(schema.get("$ref", "").rsplit("/", 1)[-1], schema)
        return named

    reads = [(path, op) for method, path, op in operations(document) if method == "get"]
    assert [path for path, op in reads if answer(op).get("type") == "array"] == []
    pages = [
        (path, op)
        for path, op in reads
        if set(answer(op).get("properties", {})) == {"items", "total", "limit", "offset"}
    ]
    assert len(pages) > 30
    unpaged = [
        path
        for path, op in pages
        if not {"limit", "offset"} <= {p["name"] for p in op.get("parameters", [])}
    ]
    assert unpaged == []


def test_downloads_declare_their_file_type(document: dict[str, Any]) -> None:
    download = document["paths"]["/api/v1/finance/budget/position.csv"]["get"]
    assert "text/csv" in download["responses"]["200"]["content"]


def test_the_document_names_its_server(document: dict[str, Any]) -> None:
    assert document["servers"] == [{"url": "/", "description": "This deployment"}]


def test_a_service_problem_names_the_public_path(api: TestClient) -> None:
    missing = "/api/v1/kpi/measures/00000000-0000-0000-0000-000000000001"
    response = api.get(missing)
    assert response.status_code == 404
    assert response.json()["instance"] == missing


def _patterns(schema: dict[str, Any]) -> list[str]:
    """The pattern of a string schema, or of each string in its anyOf."""
    return [s["pattern"] for s in [schema, *schema.get("anyOf", [])] if "pattern" in s]


def test_periods_months_and_financial_years_are_sent_in_a_declared_pattern(
    document: dict[str, Any],
) -> None:
    named = {"period", "month", "financial_year"}
    parameters = [
        (path, p["name"], p["schema"])
        for _, path, operation in operations(document)
        for p in operation.get("parameters", [])
        if p["name"] in named
    ]
    fields = [
        (schema_name, field, schema)
        for schema_name, component in document["components"]["schemas"].items()
        if schema_name.endswith(("Create", "Update"))
        for field, schema in component.get("properties", {}).items()
        if field in named
    ]
    assert len(parameters) > 15
    assert [(w, n) for w, n, schema in parameters + fields if not _patterns(schema)] == []


def test_sort_and_group_by_offer_their_choices_as_enums(document: dict[str, Any]) -> None:
    choices = {
        (path, p["name"]): p["schema"].get("enum")
        for _, path, operation in operations(document)
        for p in operation.get("parameters", [])
        if p["name"] in {"sort", "by"}
    }
    assert [key for key, enum in choices.items() if not enum] == []
    assert {"code", "-rag"} <= set(choices["/api/v1/kpi/measures", "sort"])
    assert choices["/api/v1/finance/savings/totals", "by"] == [
        "year",
        "category",
        "type",
        "project",
        "owner",
    ]


def test_rag_and_status_values_are_snake_case_in_every_service(document: dict[str, Any]) -> None:
    values = {
        name: schema["enum"]
        for name, schema in document["components"]["schemas"].items()
        if "enum" in schema
    }
    assert [
        (n, v) for n, vs in values.items() for v in vs if not re.fullmatch(r"[a-z0-9_]+", v)
    ] == []
    assert values["KpiRag"] == ["green", "amber", "red", "no_data", "no_target"]
    assert values["ProjectsRag"] == ["green", "amber", "red"]


def test_the_words_the_kpi_service_wrote_before_are_still_read(api: TestClient) -> None:
    for old in ("Green", "No data"):
        response = api.get("/api/v1/kpi/scorecard", params={"rag": old})
        assert response.status_code == 200, response.text


def test_the_main_operations_show_an_example_request_and_answer(
    document: dict[str, Any],
) -> None:
    def answer(method: str, path: str, status: str = "200") -> Any:
        content = document["paths"][path][method]["responses"][status]["content"]
        return content["application/json"].get("example")

    create = document["paths"]["/api/v1/kpi/actuals"]["post"]
    sent = create["requestBody"]["content"]["application/json"]["example"]
    assert sent["period"] == "2025-09"
    assert answer("post", "/api/v1/kpi/actuals", "201")["status"] == "draft"
    assert answer("post", "/api/v1/kpi/actuals/{actual_id}/submit")["status"] == "submitted"
    assert answer("get", "/api/v1/kpi/measures")["items"][0]["code"] == "ASC01"
    assert answer("get", "/api/v1/finance/savings-lines")["totals"]["lines"] == 1
    assert answer("get", "/api/v1/finance/budget/position")["month"] == "2025-09"

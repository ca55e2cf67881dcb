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
    assert unchecked == ["/api/v1/organisation"]  # the council's settings carry no version yet


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

"""The web's typed clients agree with the merged OpenAPI document: every endpoint a client calls
exists with its method, and every field a client model reads is in the response schema with a
type the model accepts. A field renamed in a service's schema fails here, not on a page."""

import ast
import importlib
import pkgutil
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel, TypeAdapter, create_model

import web.clients
from web.clients import models
from web.clients.gateway import NO_BODY, Endpoint, endpoints

Schema = dict[str, Any]  # JSON Schema: arbitrary JSON by nature
VIEWS = Path(__file__).parents[2] / "web" / "views"


def client_endpoints() -> list[Endpoint[Any]]:
    found: list[Endpoint[Any]] = []
    for info in pkgutil.iter_modules(web.clients.__path__):
        if info.name.endswith("_api_client"):
            found.extend(endpoints(importlib.import_module(f"web.clients.{info.name}")))
    return found


def _deref(schema: Schema, defs: dict[str, Schema]) -> Schema:
    while "$ref" in schema:
        schema = defs[schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _branches(schema: Schema, defs: dict[str, Schema]) -> list[Schema]:
    schema = _deref(schema, defs)
    for key in ("anyOf", "oneOf"):
        if key in schema:
            return [b for s in schema[key] for b in _branches(s, defs)]
    if len(schema.get("allOf", ())) == 1:
        return _branches(schema["allOf"][0], defs)
    return [schema]


def _kind(schema: Schema) -> str | None:
    """The JSON type of one branch; None when it allows anything."""
    if "type" in schema:
        return str(schema["type"])
    if "enum" in schema:
        return "string" if all(isinstance(v, str) for v in schema["enum"]) else None
    return None


def mismatches(
    model: Schema, model_defs: dict[str, Schema], api: Schema, api_defs: dict[str, Schema], at: str
) -> list[str]:
    """What the model cannot read of what the API sends, as "where: why" lines."""
    model_branches = _branches(model, model_defs)
    if any(_kind(b) is None for b in model_branches):
        return []  # the model reads anything here
    by_kind = {_kind(b): b for b in model_branches}
    problems: list[str] = []
    for sent in _branches(api, api_defs):
        kind = _kind(sent)
        if kind == "integer" and kind not in by_kind and "number" in by_kind:
            continue
        if kind is None or kind not in by_kind:
            problems.append(f"{at}: the API sends {kind or 'anything'}, the model reads {by_kind}")
            continue
        read = by_kind[kind]
        if kind == "array":
            problems += mismatches(
                read.get("items", {}), model_defs, sent.get("items", {}), api_defs, f"{at}[]"
            )
        elif kind == "object" and "properties" in _deref(read, model_defs):
            problems += _object(read, model_defs, sent, api_defs, at)
        elif kind == "object" and isinstance(read.get("additionalProperties"), dict):
            problems += mismatches(
                read["additionalProperties"],
                model_defs,
                sent.get("additionalProperties") or {},
                api_defs,
                f"{at}{{}}",
            )
    return problems


def _object(
    model: Schema, model_defs: dict[str, Schema], api: Schema, api_defs: dict[str, Schema], at: str
) -> list[str]:
    model, api = _deref(model, model_defs), _deref(api, api_defs)
    sent = api.get("properties", {})
    problems = []
    for name, field in model["properties"].items():
        where = f"{at}.{name}"
        if name not in sent:
            problems.append(f"{where}: not in the API's {api.get('title', 'schema')}")
            continue
        if name in model.get("required", ()) and name not in api.get("required", ()):
            problems.append(f"{where}: the model needs it but the API may leave it out")
        problems += mismatches(field, model_defs, sent[name], api_defs, where)
    return problems


def check(endpoint: Endpoint[Any], document: Schema) -> list[str]:
    """Everything wrong with one endpoint of a client, against the document."""
    method, path = endpoint.operation
    operation = document["paths"].get(path, {}).get(method)
    if operation is None:
        return [f"{method.upper()} {path}: not in the OpenAPI document"]
    if endpoint.response is NO_BODY:
        return []
    answers = operation["responses"]
    answer = answers.get("200") or answers.get("201") or {}
    schema = answer.get("content", {}).get("application/json", {}).get("schema", {})
    model = endpoint.adapter.json_schema(mode="validation")
    return mismatches(
        model,
        model.get("$defs", {}),
        schema,
        document["components"]["schemas"],
        f"{method.upper()} {path}",
    )


@pytest.fixture
def document(api: TestClient) -> Schema:
    answer: Schema = api.get("/api/v1/openapi.json").json()
    return answer


def test_every_client_endpoint_and_model_field_is_in_the_openapi_document(
    document: Schema,
) -> None:
    found = client_endpoints()
    assert len(found) > 40  # the clients' endpoints were found at all
    problems = [problem for endpoint in found for problem in check(endpoint, document)]
    assert problems == []


def test_the_operations_a_form_record_derives_are_checked_too() -> None:
    """A record's add, change, retire and restore operations are worked out from its read
    (`Editable`): they are among the endpoints checked, or a renamed path would pass unseen."""
    checked = {(e.method, e.path) for e in client_endpoints()}
    assert {
        ("POST", "/projects/milestones"),
        ("PATCH", "/projects/milestones/{milestone_id}"),
        ("POST", "/finance/savings-lines/{line_id}/retire"),
        ("POST", "/finance/savings-lines/{line_id}/restore"),
    } <= checked


def test_a_renamed_field_fails_the_check(document: Schema) -> None:
    renamed = create_model("Organisation", __base__=models.Read, id=(str, ...), title=(str, ...))
    endpoint = Endpoint("GET", "/organisation", renamed, "administration")
    assert check(endpoint, document) == [
        "GET /api/v1/organisation.title: not in the API's OrganisationRead"
    ]


def test_a_field_of_the_wrong_type_fails_the_check(document: Schema) -> None:
    wrong = create_model("Organisation", __base__=models.Read, id=(int, ...))
    endpoint = Endpoint("GET", "/organisation", wrong, "administration")
    assert check(endpoint, document) == [
        "GET /api/v1/organisation.id: the API sends string, the model reads {'integer': "
        "{'title': 'Id', 'type': 'integer'}}"
    ]


def test_a_nested_renamed_field_fails_the_check(document: Schema) -> None:
    class Council(models.Read):
        id: str
        council_name: str

    class Me(models.Read):
        organisation: Council

    problems = check(Endpoint("GET", "/me", Me, "sign-in"), document)
    assert problems == [
        "GET /api/v1/me.organisation.council_name: not in the API's OrganisationRead"
    ]


def test_a_path_or_method_the_api_does_not_have_fails_the_check(document: Schema) -> None:
    assert check(Endpoint("GET", "/kpi/measure", NO_BODY, "KPI service"), document) == [
        "GET /api/v1/kpi/measure: not in the OpenAPI document"
    ]
    assert check(Endpoint("PUT", "/organisation", NO_BODY, "administration"), document) == [
        "PUT /api/v1/organisation: not in the OpenAPI document"
    ]


def test_money_is_read_as_decimal() -> None:
    line = TypeAdapter(models.Totals).json_schema()
    assert line["properties"]["target"]["anyOf"][0] == {"type": "number"}
    assert not any(
        field.annotation is float
        for model in vars(models).values()
        if isinstance(model, type) and issubclass(model, BaseModel)
        for field in model.model_fields.values()
    )


def test_no_view_calls_the_gateway_by_path() -> None:
    """Views go through a client: no API path (`/api/v1/…`, `/kpi/scorecard`…) and no raw
    gateway call in web/views. (The gateway's own paths, `/users`…, are also the admin pages'
    routes, so for those only the raw call is looked for.)"""
    service_paths = tuple(
        e.path.split("{")[0].rstrip("/")
        for e in client_endpoints()
        if e.path.startswith(("/kpi/", "/projects/", "/finance/"))
    )
    calls = []
    for source in sorted(VIEWS.glob("*.py")):
        tree = ast.parse(source.read_text())
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and node.attr in ("request", "call")
                and isinstance(node.value, ast.Name)
                and node.value.id == "gateway"
            ):
                calls.append(f"{source.name}:{node.lineno} gateway.{node.attr}")
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and node.value.startswith(("/api/v1", *service_paths))
            ):
                calls.append(f"{source.name}:{node.lineno} {node.value}")
    assert calls == []

"""What every app's OpenAPI document says the same way: operation ids, summaries, and the
HTTP contract a route keeps (If-Match, ETag, the errors it can give), read from the routes.

A route declares nothing by hand: a route whose function calls `require_if_match` (or
`crud.check_version`) documents the If-Match header with its 412 and 428; one that calls
`set_etag` (or `crud.one`) documents the ETag it answers with.
"""

import inspect
import re
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute, RouteContext, iter_route_contexts

from common.errors import PROBLEM_JSON

IF_MATCH_CHECKS = frozenset({"require_if_match", "check_version"})
ETAG_SETTERS = frozenset({"set_etag"})
WRITES = frozenset({"post", "put", "patch", "delete"})
DOWNLOADS: dict[str, tuple[str, dict[str, Any]]] = {
    ".csv": ("text/csv", {"type": "string"}),
    ".xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        {"type": "string", "format": "binary"},
    ),
}
"""A read whose path ends so answers with that file type, not JSON (`POST .../bulk.csv` takes a
CSV file and answers JSON). CSV is text: a generated client gives it as a string."""


def operation_id(route: APIRoute) -> str:
    """The route function's name (`list_measures`): FastAPI's default adds the path and method."""
    return route.name


def summary_of(route: RouteContext) -> str:
    """The first sentence of the route's docstring, or its function name in words."""
    doc = inspect.getdoc(route.endpoint) if route.endpoint else ""
    doc = doc or ""
    paragraph = " ".join(doc.split("\n\n", 1)[0].split())
    sentence = re.split(r"\.\s+(?=[A-Z`])", paragraph, maxsplit=1)[0].rstrip(".")
    return sentence or (route.name or "").replace("_", " ").capitalize()


def _calls(
    endpoint: Callable[..., Any], names: frozenset[str], seen: set[int] | None = None
) -> bool:
    """Whether the route calls one of `names`, itself or through a helper of its own module
    (a router's `_to_change` that finds the record and checks its version)."""
    function = inspect.unwrap(endpoint)
    code = getattr(function, "__code__", None)
    seen = set() if seen is None else seen
    if code is None or id(code) in seen:
        return False
    seen.add(id(code))
    used = set(code.co_names)
    if {"crud", "one"} <= used:  # crud.one sets the ETag of the record it answers with
        used.add("set_etag")
    if {"crud", "check_version"} <= used:
        used.add("require_if_match")
    if used & names:
        return True
    scope = getattr(function, "__globals__", {})
    helpers = (scope.get(name) for name in used)
    return any(
        _calls(helper, names, seen)
        for helper in helpers
        if inspect.isfunction(helper) and helper.__module__ == function.__module__
    )


def problem_response(description: str, headers: dict[str, Any] | None = None) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": description,
        "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }
    if headers:
        response["headers"] = headers
    return response


def header(description: str, **schema: Any) -> dict[str, Any]:
    """A response header as the document declares it: what it says, and its schema."""
    return {"description": description, "schema": schema}


def header_parameter(
    name: str, description: str, *, required: bool, **schema: Any
) -> dict[str, Any]:
    """A request header the caller sends, as an operation's parameter."""
    return {
        "name": name,
        "in": "header",
        "required": required,
        "description": description,
        "schema": schema,
    }


ETAG_HEADER = header(
    'The record\'s version as a strong ETag (`"3"`): send it back in If-Match.',
    type="string",
    example='"3"',
)
IF_MATCH_PARAMETER = header_parameter(
    "If-Match",
    "The ETag of the record as you read it. A stale one is refused with 412; "
    "a missing one, `*` or a weak one (`W/...`) with 428 or 412.",
    required=True,
    type="string",
    example='"3"',
)


def _success_responses(operation: dict[str, Any]) -> list[dict[str, Any]]:
    return [r for status, r in operation.get("responses", {}).items() if str(status)[0] == "2"]


def _api_routes(app: FastAPI) -> list[RouteContext]:
    return [
        context
        for context in iter_route_contexts(app.routes)
        if isinstance(context.original_route, APIRoute) and context.include_in_schema
    ]


def document_http_contract(app: FastAPI, document: dict[str, Any]) -> dict[str, Any]:
    """Add to `document` what each route's code does (If-Match, ETag, 409 on writes, file
    downloads) and a summary for people; refuse two operations with one id."""
    seen: dict[str, str] = {}
    for route in _api_routes(app):
        item = document.get("paths", {}).get(route.path_format, {})
        for method in sorted(route.methods or ()):
            operation = item.get(method.lower())
            if operation is None:
                continue
            where = f"{method} {route.path_format}"
            if seen.setdefault(operation["operationId"], where) != where:
                raise RuntimeError(
                    f"Operation id {operation['operationId']!r} of {where} is taken by "
                    f"{seen[operation['operationId']]}: rename one of the route functions."
                )
            if not route.summary:
                operation["summary"] = summary_of(route)
            responses = operation.setdefault("responses", {})
            endpoint = route.endpoint
            if endpoint and _calls(endpoint, IF_MATCH_CHECKS):
                parameters = operation.setdefault("parameters", [])
                if not any(p.get("name", "").lower() == "if-match" for p in parameters):
                    parameters.append(dict(IF_MATCH_PARAMETER))
                responses.setdefault(
                    "412", problem_response("The record changed since you read it (stale ETag)")
                )
                responses.setdefault(
                    "428", problem_response("If-Match is missing or is not a real ETag")
                )
            if endpoint and _calls(endpoint, ETAG_SETTERS):
                for response in _success_responses(operation):
                    response.setdefault("headers", {})["ETag"] = ETAG_HEADER
            for suffix, (media_type, schema) in DOWNLOADS.items():
                if method == "GET" and (route.path_format or "").endswith(suffix):
                    for response in _success_responses(operation):
                        response["content"] = {media_type: {"schema": dict(schema)}}
                        response["description"] = f"The file ({media_type})"
            if method.lower() in WRITES:
                responses.setdefault(
                    "409", problem_response("This conflicts with a record that already exists")
                )
    return document

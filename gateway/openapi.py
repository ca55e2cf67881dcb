"""One OpenAPI document for the whole API, merged from the services' own documents.

What the merge adds is what the gateway does for every request, so no route declares it:
security (an API key as a bearer token, or the web's session cookie), the rate limit (429 with
Retry-After, and the `RateLimit-*` headers on every answer to a signed-in caller), the body size
limit (413), and Idempotency-Key on the services' POSTs.
"""

import logging
import re
from collections import Counter
from collections.abc import Sequence
from typing import Any

import httpx

from common.importing import IMPORT_SCHEMAS
from common.openapi import header, header_parameter, problem_response
from gateway.guard import is_public

log = logging.getLogger(__name__)

SHARED_SCHEMAS = frozenset({"Problem", "ProblemFieldError", *IMPORT_SCHEMAS})
"""Schemas every part writes the same way: they keep their plain name and appear once."""

SECURITY_SCHEMES: dict[str, Any] = {
    "ApiKey": {
        "type": "http",
        "scheme": "bearer",
        "description": "An API key made on the API keys page, as `Authorization: Bearer <key>`.",
    },
    "SessionCookie": {
        "type": "apiKey",
        "in": "cookie",
        "name": "__Host-asc_session",
        "description": "The web app's sign-in session (POST /api/v1/sessions sets it).",
    },
}
SECURITY: list[dict[str, list[str]]] = [{"ApiKey": []}, {"SessionCookie": []}]

RETRY_AFTER = {
    "Retry-After": header(
        "Seconds to wait before sending the request again.", type="integer", minimum=1
    )
}
RATE_LIMIT = {
    "RateLimit-Limit": header(
        "Requests a minute this credential may send (the separate fields of "
        "draft-ietf-httpapi-ratelimit-headers-06).",
        type="integer",
        minimum=1,
    ),
    "RateLimit-Remaining": header(
        "Requests it may still send now; 0 when refused.", type="integer", minimum=0
    ),
    "RateLimit-Reset": header(
        "Seconds until the count starts to fall away; when refused, as Retry-After.",
        type="integer",
        minimum=1,
    ),
}
"""On every answer to a signed-in caller: where their credential stands against its limit."""
WWW_AUTHENTICATE = header(
    "The scheme to authenticate with: `Bearer`.",
    type="string",
    example='Bearer realm="asc-tracker"',
)
IDEMPOTENCY_KEY = header_parameter(
    "Idempotency-Key",
    "Any unique text (a UUID, say). A retry with the same key and request gets the first "
    "response again instead of making a second record; kept for a day.",
    required=False,
    type="string",
    minLength=1,
    maxLength=255,
)
IDEMPOTENT_REPLAYED = header(
    "`true` when this is the stored response to an earlier request with the key.",
    type="string",
    enum=["true"],
)


def component_name(service: str, schema: str) -> str:
    """`Kpi` + `Page_MeasureRead_` -> `KpiPageMeasureRead`: unique across services, no dots."""
    words = [w for w in re.split(r"[^A-Za-z0-9]+", schema) if w]
    return service.capitalize() + "".join(w[0].upper() + w[1:] for w in words)


def _rename_refs(node: Any, renamed: dict[str, str]) -> Any:
    if isinstance(node, dict):
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                target = value.rsplit("/", 1)[1]
                out[key] = "#/components/schemas/" + renamed.get(target, target)
            else:
                out[key] = _rename_refs(value, renamed)
        return out
    if isinstance(node, list):
        return [_rename_refs(item, renamed) for item in node]
    return node


def _add_schemas(
    merged: dict[str, Any], prefix: str, document: dict[str, Any]
) -> dict[str, dict[str, Any]]:
    """Add `document`'s schemas under prefixed names (titles equal to the names); return its
    paths with their references rewritten."""
    schemas = document.get("components", {}).get("schemas", {})
    renamed = {s: s if s in SHARED_SCHEMAS else component_name(prefix, s) for s in schemas}
    target = merged["components"]["schemas"]
    for original, schema in schemas.items():
        target[renamed[original]] = {**_rename_refs(schema, renamed), "title": renamed[original]}
    paths: dict[str, dict[str, Any]] = _rename_refs(document.get("paths", {}), renamed)
    return paths


def _operations(paths: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, operation)
        for path, item in paths.items()
        for method, operation in item.items()
        if isinstance(operation, dict) and "responses" in operation
    ]


def _declare_gateway_contract(
    path: str, method: str, operation: dict[str, Any], *, forwarded: bool
) -> None:
    """What the gateway adds to every operation: security, 401, 429, 413, and Idempotency-Key
    on the POSTs it forwards to a service (`forwarded`)."""
    responses = operation.setdefault("responses", {})
    counted = not is_public(path)
    if counted:
        responses["401"] = problem_response(
            "Not authenticated", {"WWW-Authenticate": WWW_AUTHENTICATE}
        )
        for status, response in responses.items():
            if str(status).startswith("2"):
                response.setdefault("headers", {}).update(RATE_LIMIT)
    else:
        operation["security"] = []
        responses.pop("401", None)
    responses.setdefault(
        "429",
        problem_response(
            "Too many requests: wait as Retry-After says",
            RETRY_AFTER | (RATE_LIMIT if counted else {}),
        ),
    )
    if "requestBody" in operation:
        responses.setdefault("413", problem_response("The body is larger than is accepted"))
    if method == "post" and forwarded:
        operation.setdefault("parameters", []).append(dict(IDEMPOTENCY_KEY))
        for status, response in responses.items():
            if str(status).startswith("2"):
                response.setdefault("headers", {})["Idempotent-Replayed"] = IDEMPOTENT_REPLAYED
        responses.setdefault(
            "409", problem_response("A request with this Idempotency-Key is still being answered")
        )


def merged_openapi(
    own: dict[str, Any], services: dict[str, dict[str, Any]], *, missing: Sequence[str] = ()
) -> dict[str, Any]:
    """The gateway's own document plus each service's, paths under `/api/v1/<name>`.

    Operation ids are the route functions' names; a name used by more than one part
    (`list_audit_events`) is prefixed with the service (`kpi_list_audit_events`) on the
    services' operations, while the gateway's own keeps it plain.
    """
    merged: dict[str, Any] = {
        **own,
        "servers": [{"url": "/", "description": "This deployment"}],
        "components": {"schemas": {}, "securitySchemes": SECURITY_SCHEMES},
        "security": SECURITY,
    }
    merged["paths"] = _add_schemas(merged, "", own)
    service_paths = {name: _add_schemas(merged, name, doc) for name, doc in services.items()}
    ids = Counter(
        operation.get("operationId")
        for paths in [merged["paths"], *service_paths.values()]
        for _, _, operation in _operations(paths)
    )
    for path, method, operation in _operations(merged["paths"]):
        _declare_gateway_contract(path, method, operation, forwarded=False)
    for name, paths in service_paths.items():
        for path, method, operation in _operations(paths):
            if ids[operation.get("operationId")] > 1:
                operation["operationId"] = f"{name}_{operation['operationId']}"
            operation["tags"] = [f"{name}: {tag}" for tag in operation.get("tags", [name])]
            _declare_gateway_contract(f"/api/v1/{name}{path}", method, operation, forwarded=True)
        merged["paths"].update({f"/api/v1/{name}{path}": item for path, item in paths.items()})
    if missing:
        merged["info"] = {
            **merged["info"],
            "description": merged["info"].get("description", "")
            + f"\n\nNot available right now, so not listed: {', '.join(missing)}.",
        }
    return merged


async def fetch_and_merge(
    own: dict[str, Any], clients: dict[str, httpx.AsyncClient]
) -> dict[str, Any]:
    """The merged document of the services that answer; a service that is down is named in
    the description rather than failing the whole document."""
    documents: dict[str, dict[str, Any]] = {}
    missing = []
    for name, client in clients.items():
        try:
            response = await client.get("/openapi.json")
            response.raise_for_status()
        except httpx.HTTPError:
            log.warning("openapi unavailable", extra={"upstream": name})
            missing.append(name)
            continue
        documents[name] = response.json()
    return merged_openapi(own, documents, missing=missing)

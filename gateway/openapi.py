"""One OpenAPI document for the whole API, merged from the services' own documents."""

import logging
from typing import Any

import httpx

log = logging.getLogger(__name__)


def merge_service_document(
    merged: dict[str, Any], name: str, document: dict[str, Any], *, shared: set[str]
) -> None:
    """Add one service's paths under `/api/v1/<name>` and its schemas as `<Name>.<Schema>`.

    Schemas in `shared` (the problem shape, say) keep their plain name and appear once.
    """
    prefix = name.capitalize() + "."
    schemas = document.get("components", {}).get("schemas", {})
    renamed = {s: s if s in shared else prefix + s for s in schemas}

    def rename(node: Any) -> Any:
        if isinstance(node, dict):
            out: dict[str, Any] = {}
            for key, value in node.items():
                if key == "$ref" and isinstance(value, str):
                    target = value.rsplit("/", 1)[1]
                    out[key] = "#/components/schemas/" + renamed.get(target, target)
                else:
                    out[key] = rename(value)
            return out
        if isinstance(node, list):
            return [rename(item) for item in node]
        return node

    for path, operations in document.get("paths", {}).items():
        new_operations = rename(operations)
        for operation in new_operations.values():
            if isinstance(operation, dict):
                if "operationId" in operation:
                    operation["operationId"] = f"{name}_{operation['operationId']}"
                operation["tags"] = [f"{name}: {tag}" for tag in operation.get("tags", [name])]
        merged["paths"][f"/api/v1/{name}{path}"] = new_operations
    target = merged.setdefault("components", {}).setdefault("schemas", {})
    for original, schema in schemas.items():
        target[renamed[original]] = rename(schema)


async def merged_openapi(
    own: dict[str, Any], clients: dict[str, httpx.AsyncClient]
) -> dict[str, Any]:
    """The gateway's own document plus every service that answers; a service that is down is
    named in the description rather than failing the whole document."""
    merged: dict[str, Any] = {
        **own,
        "paths": dict(own.get("paths", {})),
        "components": {"schemas": dict(own.get("components", {}).get("schemas", {}))},
    }
    shared = {"Problem", "ProblemFieldError"}
    missing = []
    for name, client in clients.items():
        try:
            response = await client.get("/openapi.json")
            response.raise_for_status()
        except httpx.HTTPError:
            log.warning("openapi unavailable", extra={"upstream": name})
            missing.append(name)
            continue
        merge_service_document(merged, name, response.json(), shared=shared)
    if missing:
        merged["info"] = {
            **merged["info"],
            "description": merged["info"].get("description", "")
            + f"\n\nNot available right now, so not listed: {', '.join(missing)}.",
        }
    return merged

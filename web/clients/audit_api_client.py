"""A record's history, from the audit trail of the service that owns it."""

from typing import Any

from web.clients.gateway import ApiError, GatewayClient, UpstreamDown


async def record_history(
    gateway: GatewayClient, service: str, entity: str, entity_id: str
) -> list[dict[str, Any]] | None:
    """Who changed the record and what, newest first; None when it cannot be read now.
    `service` "" is the gateway's own trail (users, API keys, the organisation; admins only)."""
    try:
        page = await gateway.get_json(
            f"/{service}/audit-events" if service else "/audit-events",
            what=f"{service} service" if service else "administration",
            params={"entity": entity, "entity_id": entity_id, "limit": 50},
        )
    except (UpstreamDown, ApiError):
        return None
    events: list[dict[str, Any]] = page["items"]
    return events

"""A record's history, from the audit trail of the service that owns it."""

from web.clients.gateway import ApiError, Endpoint, GatewayClient, UpstreamDown
from web.clients.models import AuditEvent, Page

TRAILS = {
    "": Endpoint("GET", "/audit-events", Page[AuditEvent], "administration"),
    "kpi": Endpoint("GET", "/kpi/audit-events", Page[AuditEvent], "kpi service"),
    "projects": Endpoint("GET", "/projects/audit-events", Page[AuditEvent], "projects service"),
    "finance": Endpoint("GET", "/finance/audit-events", Page[AuditEvent], "finance service"),
}
# Module-level names, so that the client models test finds them.
GATEWAY_TRAIL, KPI_TRAIL, PROJECTS_TRAIL, FINANCE_TRAIL = TRAILS.values()


async def record_history(
    gateway: GatewayClient, service: str, entity: str, entity_id: str
) -> list[AuditEvent] | None:
    """Who changed the record and what, newest first; None when it cannot be read now.
    `service` "" is the gateway's own trail (users, API keys, the organisation; admins only)."""
    try:
        page = await gateway.call(
            TRAILS[service], params={"entity": entity, "entity_id": entity_id, "limit": 50}
        )
    except (UpstreamDown, ApiError):
        return None
    return page.items

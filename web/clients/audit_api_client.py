"""A record's history, from the audit trail of the service that owns it, with the names of the
people who made each change (from the gateway, which holds the people)."""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from web.clients.gateway import ApiError, Endpoint, GatewayClient, UpstreamDown
from web.clients.models import AuditEvent, Page, Person

TRAILS = {
    "": Endpoint("GET", "/audit-events", Page[AuditEvent], "administration"),
    "kpi": Endpoint("GET", "/kpi/audit-events", Page[AuditEvent], "kpi service"),
    "projects": Endpoint("GET", "/projects/audit-events", Page[AuditEvent], "projects service"),
    "finance": Endpoint("GET", "/finance/audit-events", Page[AuditEvent], "finance service"),
}
# Module-level names, so that the client models test finds them.
GATEWAY_TRAIL, KPI_TRAIL, PROJECTS_TRAIL, FINANCE_TRAIL = TRAILS.values()
PEOPLE = Endpoint("GET", "/people", Page[Person], "sign-in")
WHAT = {
    "milestones": "Milestone",
    "highlight_reports": "Highlight report",
    "raid_items": "RAID item",
    "savings_entries": "Monthly return",
    "savings_targets": "Target",
}


@dataclass(frozen=True)
class Change:
    """One event of a history as a page shows it: who by name and team, and what it was of."""

    event: AuditEvent
    who: str
    of: str

    def __getattr__(self, name: str) -> object:
        return getattr(self.event, name)


async def record_history(
    gateway: GatewayClient,
    service: str,
    entity: str,
    entity_id: str,
    *,
    parts: Iterable[tuple[str, str, str]] = (),
) -> list[Change] | None:
    """Who changed the record and what, newest first; None when it cannot be read now.

    `parts` are the records that belong to it, (entity, id, label) — a project's milestones, a
    savings line's monthly returns — whose changes are part of its history. `service` "" is the
    gateway's own trail (users, API keys, the organisation; admins only)."""
    events: list[tuple[AuditEvent, str]] = []
    try:
        for name, record_id, label in [(entity, entity_id, ""), *parts]:
            page = await gateway.call(
                TRAILS[service], params={"entity": name, "entity_id": record_id, "limit": 50}
            )
            events += [(e, label or WHAT.get(name, "")) for e in page.items]
    except (UpstreamDown, ApiError):
        return None
    events.sort(key=lambda pair: pair[0].occurred_at, reverse=True)
    names = await people(gateway, {e.actor for e, _ in events})
    return [Change(e, names.get(e.actor, _unnamed(e.actor)), of) for e, of in events[:100]]


async def people(gateway: GatewayClient, actors: set[str]) -> dict[str, str]:
    """{user id: "Name (Team)"} for the people among `actors`; {} while the gateway cannot say."""
    ids = sorted(a for a in actors if _is_uuid(a))
    if not ids:
        return {}
    try:
        found = await gateway.every(PEOPLE, ids=ids[:100])
    except (UpstreamDown, ApiError):
        return {}
    return {p.id: f"{p.display_name} ({p.team})" if p.team else p.display_name for p in found}


def _unnamed(actor: str) -> str:
    if actor.startswith("api-key:"):
        return "An API key"
    if actor == "system":
        return "The system (an import or a scheduled task)"
    return "Someone who no longer has an account" if _is_uuid(actor) else actor


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True

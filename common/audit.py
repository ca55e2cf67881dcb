"""The audit trail: every create, update and delete of a tenant row, with who, when, from which
client, and the values before and after. Recorded by a session hook, so no endpoint can forget.

Each service registers one `audit_events` table in its own schema (`audit_table(Base.metadata)`)
and gets a read-only `GET /audit-events` endpoint; nothing can change an audit row through the API.
"""

import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel
from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Identity,
    Index,
    MetaData,
    String,
    Table,
    Uuid,
    event,
    func,
    inspect,
    select,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Session, UOWTransaction

from common.db import SessionDep, TenantMixin
from common.identity import Caller, CallerDep
from common.logs import request_id_var
from common.pagination import Page, PageDep

AUDIT_TABLES: dict[str, Table] = {}
"""schema -> its audit table."""


def audit_table(metadata: MetaData) -> Table:
    """Register the audit table of `metadata`'s schema (call once, in the service's models)."""
    table = Table(
        "audit_events",
        metadata,
        Column("id", BigInteger, Identity(), primary_key=True),
        Column("org_id", Uuid, nullable=False),
        Column("occurred_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("actor", String(200), nullable=False),
        Column("client", String(200), nullable=False),
        Column("request_id", String(64), nullable=True),
        Column("action", String(10), nullable=False),
        Column("entity", String(100), nullable=False),
        Column("entity_id", String(100), nullable=False),
        Column("before", JSONB, nullable=True),
        Column("after", JSONB, nullable=True),
        Index(None, "org_id", "entity", "entity_id"),
    )
    AUDIT_TABLES[str(metadata.schema)] = table
    return table


def _plain(value: Any) -> Any:
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


_NOT_AUDITED = {"created_at", "updated_at", "version"}


def _columns(obj: Any) -> dict[str, Any]:
    mapper = inspect(obj).mapper
    return {
        attr.key: _plain(getattr(obj, attr.key))
        for attr in mapper.column_attrs
        if attr.key not in _NOT_AUDITED
    }


def _changes(obj: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    state = inspect(obj)
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for attr in state.mapper.column_attrs:
        if attr.key in _NOT_AUDITED:
            continue
        history = state.attrs[attr.key].history
        if history.has_changes():
            before[attr.key] = _plain(history.deleted[0]) if history.deleted else None
            after[attr.key] = _plain(history.added[0]) if history.added else None
    return before, after


@event.listens_for(Session, "after_flush")
def _record(session: Session, _flush: UOWTransaction) -> None:
    caller: Caller | None = session.info.get("caller")
    rows: dict[str, list[dict[str, Any]]] = {}
    changes = (
        [("create", o) for o in session.new]
        + [("update", o) for o in session.dirty]
        + [("delete", o) for o in session.deleted]
    )
    for action, obj in changes:
        if not isinstance(obj, TenantMixin):
            continue
        table = getattr(obj, "__table__", None)
        audit = AUDIT_TABLES.get(str(getattr(table, "schema", "")))
        if audit is None:
            continue
        if action == "create":
            before, after = None, _columns(obj)
        elif action == "delete":
            before, after = _columns(obj), None
        else:
            changed_before, changed_after = _changes(obj)
            if not changed_after:
                continue
            before, after = changed_before, changed_after
        rows.setdefault(str(table.schema), []).append(  # type: ignore[union-attr]
            {
                "org_id": obj.org_id,
                "actor": caller.user_id if caller else "system",
                "client": caller.client if caller else "system",
                "request_id": request_id_var.get(),
                "action": action,
                "entity": table.name,  # type: ignore[union-attr]
                "entity_id": ",".join(
                    str(v) for v in inspect(obj).mapper.primary_key_from_instance(obj)
                ),
                "before": before,
                "after": after,
            }
        )
    for schema, batch in rows.items():
        session.connection().execute(AUDIT_TABLES[schema].insert(), batch)


class AuditEventRead(BaseModel):
    id: int
    occurred_at: datetime
    actor: str
    client: str
    request_id: str | None
    action: str
    entity: str
    entity_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


def audit_router(schema: str) -> APIRouter:
    """`GET /audit-events`: the history of the caller's organisation in this service. Read only."""
    router = APIRouter(tags=["audit"])

    @router.get("/audit-events", response_model=Page[AuditEventRead])
    def list_audit_events(
        session: SessionDep,
        caller: CallerDep,
        page: PageDep,
        entity: Annotated[str | None, Query(max_length=100)] = None,
        entity_id: Annotated[str | None, Query(max_length=100)] = None,
    ) -> Page[AuditEventRead]:
        """Who changed what and when, newest first; filter to one record with entity + entity_id."""
        table = AUDIT_TABLES[schema]
        statement = select(table).where(table.c.org_id == caller.org_id)
        if entity:
            statement = statement.where(table.c.entity == entity)
        if entity_id:
            statement = statement.where(table.c.entity_id == entity_id)
        total = session.scalar(select(func.count()).select_from(statement.subquery())) or 0
        result = session.execute(
            statement.order_by(table.c.id.desc()).limit(page.limit).offset(page.offset)
        )
        return Page(
            items=[AuditEventRead.model_validate(dict(row._mapping)) for row in result],
            total=total,
            limit=page.limit,
            offset=page.offset,
        )

    return router

"""The audit trail: every create, update and delete of a tenant row, with who, when, from which
client, and the values before and after. Recorded by a session hook, so no endpoint can forget.

Each service registers one `audit_events` table in its own schema (`audit_table(Base.metadata)`)
and gets a read-only `GET /audit-events` endpoint; nothing can change an audit row through the API.
A model may set `__audit__ = AuditRules(...)` to keep secrets out of the trail (recorded only as
changed), to leave out bookkeeping columns, or to be left out entirely.

Every write request is answered with `X-Audit-Rows: <n>`, the audit rows it wrote; a write that
rightly changes nothing (a preview, an upload with nothing new, a sign-in) says so by calling
`declare_no_change(reason)`, which adds `X-Audit-No-Change: <reason>`. The test suite checks both
for every write the tests make (common/testing/plugin.py).
"""

import uuid
from collections.abc import Awaitable, Callable, Mapping, MutableMapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
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
    PrimaryKeyConstraint,
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
from starlette.datastructures import MutableHeaders

from common.bulk import insert_rows
from common.db import SessionDep, TenantMixin
from common.identity import Caller, CallerDep
from common.logs import request_id_var
from common.pagination import Page, PageDep, PageParams

AUDIT_ROWS_HEADER = "X-Audit-Rows"
NO_CHANGE_HEADER = "X-Audit-No-Change"
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

AUDIT_TABLES: dict[str, Table] = {}
"""schema -> its audit table."""


def audit_table(metadata: MetaData) -> Table:
    """Register the audit table of `metadata`'s schema (call once, in the service's models)."""
    table = Table(
        "audit_events",
        metadata,
        Column("id", BigInteger, Identity(), nullable=False),
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
        # Council first, as every key of a table Citus distributes by council (common/citus.py).
        PrimaryKeyConstraint("org_id", "id"),
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


_NOT_AUDITED = frozenset({"created_at", "updated_at", "version"})


@dataclass(frozen=True)
class AuditRules:
    """How a model's rows go into the audit trail: set `__audit__ = AuditRules(...)` on the model.

    Without it, every tenant row (`TenantMixin`) is recorded in full, and nothing else is."""

    secret: frozenset[str] = frozenset()
    """Columns recorded only as "set", "changed" or "removed", never their values (hashes)."""
    ignore: frozenset[str] = frozenset()
    """Bookkeeping columns left out; a change to them alone writes no audit row."""
    skip: bool = False
    """Leave the model out entirely (e.g. sign-in sessions, which are security events)."""
    org_attr: str = "org_id"
    """The attribute that names the row's organisation (an organisation's own `id`)."""


_DEFAULT_RULES = AuditRules()


def _rules(obj: Any) -> AuditRules | None:
    rules: AuditRules | None = getattr(type(obj), "__audit__", None)
    if rules is None and isinstance(obj, TenantMixin):
        rules = _DEFAULT_RULES
    return None if rules is None or rules.skip else rules


def _recorded(rules: AuditRules, key: str) -> bool:
    return key not in _NOT_AUDITED and key not in rules.ignore


def _value(rules: AuditRules, key: str, value: Any, *, new: bool) -> Any:
    if key in rules.secret and value is not None:
        return "changed" if new else "set"
    return _plain(value)


def _columns(obj: Any, rules: AuditRules) -> dict[str, Any]:
    mapper = inspect(obj).mapper
    return {
        attr.key: _value(rules, attr.key, getattr(obj, attr.key), new=False)
        for attr in mapper.column_attrs
        if _recorded(rules, attr.key)
    }


def _changes(obj: Any, rules: AuditRules) -> tuple[dict[str, Any], dict[str, Any]]:
    state = inspect(obj)
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for attr in state.mapper.column_attrs:
        if not _recorded(rules, attr.key):
            continue
        history = state.attrs[attr.key].history
        if history.has_changes():
            old = history.deleted[0] if history.deleted else None
            new = history.added[0] if history.added else None
            before[attr.key] = _value(rules, attr.key, old, new=False)
            after[attr.key] = _value(rules, attr.key, new, new=True)
    return before, after


@dataclass
class AuditTally:
    """What one request did to the audit trail (see `install_audit_tally`)."""

    rows: int = 0
    no_change: str | None = None


_tally: ContextVar[AuditTally | None] = ContextVar("audit_tally", default=None)


def declare_no_change(reason: str) -> None:
    """Declare that this write request may rightly change nothing (e.g. "preview", "unchanged",
    "sign-in"): it is then answered with `X-Audit-No-Change: <reason>`. Only for requests that
    changed no audited record; a write that changed something must leave audit rows."""
    tally = _tally.get()
    if tally is not None:
        tally.no_change = reason


Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class AuditTallyMiddleware:
    """Answer every write request with the number of audit rows it wrote (`X-Audit-Rows`), and
    with `X-Audit-No-Change` if it declared that it rightly changed nothing. A response that
    already carries the header (one the gateway passes on from a service) keeps it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in WRITE_METHODS:
            await self.app(scope, receive, send)
            return
        tally = AuditTally()

        async def send_with_tally(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if AUDIT_ROWS_HEADER not in headers or tally.rows:
                    headers[AUDIT_ROWS_HEADER] = str(tally.rows)
                if tally.no_change and NO_CHANGE_HEADER not in headers:
                    headers[NO_CHANGE_HEADER] = tally.no_change
            await send(message)

        token = _tally.set(tally)
        try:
            await self.app(scope, receive, send_with_tally)
        finally:
            _tally.reset(token)


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
        rules = _rules(obj)
        if rules is None:
            continue
        table = getattr(obj, "__table__", None)
        audit = AUDIT_TABLES.get(str(getattr(table, "schema", "")))
        if audit is None:
            continue
        if action == "create":
            before, after = None, _columns(obj, rules)
        elif action == "delete":
            before, after = _columns(obj, rules), None
        else:
            changed_before, changed_after = _changes(obj, rules)
            if not changed_after:
                continue
            before, after = changed_before, changed_after
        rows.setdefault(str(table.schema), []).append(  # type: ignore[union-attr]
            {
                "org_id": getattr(obj, rules.org_attr),
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
        _write(session, schema, batch)


def _write(session: Session, schema: str, batch: list[dict[str, Any]]) -> None:
    insert_rows(session, AUDIT_TABLES[schema], batch)
    if (tally := _tally.get()) is not None:
        tally.rows += len(batch)


def _identity(model: type[Any]) -> list[str]:
    """The columns that name a row of `model` in the trail: the ORM's identity (`id`), not the
    table's primary key, which a distributed tenant table leads with `org_id`."""
    return [c.key for c in inspect(model).primary_key]


def record_created(session: Session, model: type[Any], rows: Sequence[Mapping[str, Any]]) -> None:
    """Audit rows for `rows` of `model` that were inserted in bulk (`common.bulk.insert_rows`),
    which the session's hook never sees: the same "create" entries the hook would write."""
    rules = getattr(model, "__audit__", None) or _DEFAULT_RULES
    table = model.__table__
    audit = AUDIT_TABLES.get(str(table.schema))
    if audit is None or rules.skip or not rows:
        return
    caller: Caller | None = session.info.get("caller")
    keys = [c.key for c in table.columns if _recorded(rules, c.key)]
    primary = _identity(model)
    actor = caller.user_id if caller else "system"
    client = caller.client if caller else "system"
    request_id = request_id_var.get()
    batch = [
        {
            "org_id": row[rules.org_attr],
            "actor": actor,
            "client": client,
            "request_id": request_id,
            "action": "create",
            "entity": table.name,
            "entity_id": ",".join(str(row[k]) for k in primary),
            "before": None,
            "after": {k: _value(rules, k, row.get(k), new=False) for k in keys},
        }
        for row in rows
    ]
    _write(session, str(table.schema), batch)


def record_updated(
    session: Session,
    model: type[Any],
    changes: Sequence[tuple[Mapping[str, Any], Mapping[str, Any]]],
) -> None:
    """Audit rows for rows of `model` updated in bulk (`common.bulk.update_rows`): each change is
    (the row as it was, the row as it is now), both with the primary key and organisation; the
    entry holds the columns that changed, as the session's hook would write it."""
    rules = getattr(model, "__audit__", None) or _DEFAULT_RULES
    table = model.__table__
    if str(table.schema) not in AUDIT_TABLES or rules.skip:
        return
    caller: Caller | None = session.info.get("caller")
    primary = _identity(model)
    batch = []
    for before, after in changes:
        changed = [
            k
            for k in after
            if k not in primary and _recorded(rules, k) and before.get(k) != after[k]
        ]
        if not changed:
            continue
        batch.append(
            {
                "org_id": before[rules.org_attr],
                "actor": caller.user_id if caller else "system",
                "client": caller.client if caller else "system",
                "request_id": request_id_var.get(),
                "action": "update",
                "entity": table.name,
                "entity_id": ",".join(str(before[k]) for k in primary),
                "before": {k: _value(rules, k, before.get(k), new=False) for k in changed},
                "after": {k: _value(rules, k, after[k], new=True) for k in changed},
            }
        )
    if batch:
        _write(session, str(table.schema), batch)


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
        return audit_page(session, schema, caller.org_id, page, entity=entity, entity_id=entity_id)

    return router


def audit_page(
    session: Session,
    schema: str,
    org_id: uuid.UUID,
    page: PageParams,
    *,
    entity: str | None = None,
    entity_id: str | None = None,
) -> Page[AuditEventRead]:
    """One page of `org_id`'s audit events in `schema`, newest first."""
    table = AUDIT_TABLES[schema]
    statement = select(table).where(table.c.org_id == org_id)
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

"""SQLAlchemy engine and sessions, table conventions, and organisation scoping by construction.

Every tenant table mixes in `TenantMixin`. A session knows its caller's organisation
(`session.info["org_id"]`); every ORM query on a tenant table is then filtered to it and every new
tenant row is stamped with it, so an endpoint cannot forget. A tenant query on a session with no
organisation is refused outright.
"""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy import (
    Constraint,
    DateTime,
    Engine,
    ForeignKeyConstraint,
    MetaData,
    Table,
    create_engine,
    event,
    func,
    text,
)
from sqlalchemy.engine import Connection
from sqlalchemy.orm import (
    Mapped,
    ORMExecuteState,
    Session,
    declared_attr,
    mapped_column,
    sessionmaker,
    with_loader_criteria,
)

from common.identity import Caller, CallerDep, PlatformAdminDep

ORG_ID = "org_id"
"""The column that names a row's council: the tenant key, and the Citus distribution column."""


def _referring_column(constraint: Constraint, _table: Table) -> str:
    """The column a foreign key is named for: its first, after the council (`org_id`) that leads
    a tenant table's composite keys, so `(org_id, measure_id)` is still `..._measure_id_...`."""
    names: list[str] = [c.name for c in constraint.columns]  # type: ignore[attr-defined]
    return next((n for n in names if n != ORG_ID), names[0])


NAMING_CONVENTION: dict[str, Any] = {
    "referring_column": _referring_column,
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(referring_column)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def schema_metadata(schema: str) -> MetaData:
    """One MetaData per schema, with constraint names that migrations can rely on."""
    return MetaData(schema=schema, naming_convention=NAMING_CONVENTION)


class TenantMixin:
    """Rows that belong to one organisation (council)."""

    org_id: Mapped[uuid.UUID] = mapped_column(index=True)


class DistributedTenantMixin(TenantMixin):
    """A tenant row of a service schema, keyed `(org_id, id)` so that Citus can distribute its
    table by council (common/citus.py): every key of a distributed table must hold `org_id`.

    The ORM still knows a row by its `id` alone (ids are random UUIDs, unique on their own), so
    `session.get(Model, id)` and every lookup by id work as before. The primary key's index
    leads with `org_id`, so it also serves every query of one council: no index of its own."""

    org_id: Mapped[uuid.UUID] = mapped_column(primary_key=True, sort_order=-1)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return _mapper_args(cls)


def council_foreign_key(column: str, parent: str, *, ondelete: str) -> ForeignKeyConstraint:
    """`(org_id, column)` referring to `parent`'s `(org_id, id)`: a row can refer only to a row
    of its own council, and Citus keeps the two on one node.

    `SET NULL` clears `column` alone: the row keeps its council.

    >>> # council_foreign_key("measure_id", "kpi.measures", ondelete="CASCADE")
    """
    if ondelete == "SET NULL":
        ondelete = f"SET NULL ({column})"
    return ForeignKeyConstraint(
        [ORG_ID, column], [f"{parent}.{ORG_ID}", f"{parent}.id"], ondelete=ondelete
    )


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )


class VersionedMixin:
    """Optimistic concurrency: `version` goes up on every update and is the record's ETag."""

    version: Mapped[int] = mapped_column(default=1)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return _mapper_args(cls)


def _mapper_args(cls: Any) -> dict[str, Any]:
    """The mapper arguments of the mixins above, together: a class takes one `__mapper_args__`."""
    args: dict[str, Any] = {}
    if issubclass(cls, VersionedMixin):
        args["version_id_col"] = cls.__table__.c.version
    if issubclass(cls, DistributedTenantMixin):
        args["primary_key"] = [cls.__table__.c.id]
    return args


class TenantScopeMissing(RuntimeError):
    """A tenant table was queried without an organisation: a programming error, never data."""


@event.listens_for(Session, "do_orm_execute")
def _scope_to_organisation(state: ORMExecuteState) -> None:
    if state.is_column_load or state.is_relationship_load:
        return  # the parent row was already scoped
    if not (state.is_select or state.is_update or state.is_delete):
        return
    if state.session.info.get("all_organisations"):
        return
    org_id = state.session.info.get("org_id")
    if org_id is None:
        if any(issubclass(m.class_, TenantMixin) for m in state.all_mappers):
            raise TenantScopeMissing("query on a tenant table from a session with no organisation")
        return
    # Applied to every ORM statement, not only those whose top level names a tenant entity, so
    # that subqueries (counts, EXISTS, joins through aliases) are scoped too.
    state.statement = state.statement.options(
        with_loader_criteria(
            TenantMixin,
            lambda cls: cls.org_id == org_id,
            include_aliases=True,
        )
    )


@event.listens_for(Session, "before_flush")
def _stamp_organisation(session: Session, _context: Any, _instances: Any) -> None:
    org_id = session.info.get("org_id")
    for obj in session.new:
        if isinstance(obj, TenantMixin):
            if obj.org_id is None:
                if org_id is None:
                    raise TenantScopeMissing("new tenant row from a session with no organisation")
                obj.org_id = org_id
            elif org_id is not None and obj.org_id != org_id:
                raise TenantScopeMissing(
                    "a tenant row may not be written into another organisation"
                )


def make_engine(
    url: str, *, role: str | None = None, transaction_pooling: bool = False, **kwargs: Any
) -> Engine:
    """An engine; with `role`, every transaction works as that role (see common/rls.py).

    Safe behind PgBouncer in transaction mode, where each transaction may get another server
    connection: the role is set with `SET LOCAL` in each transaction (never for the session), the
    organisation likewise (`set_organisation`), and nothing else is kept on a connection. With
    `transaction_pooling`, psycopg prepares no statements either (a prepared statement lives on
    one server connection; PgBouncer before 1.21 cannot follow it)."""
    kwargs.setdefault("pool_pre_ping", True)
    kwargs.setdefault("pool_size", 10)
    kwargs.setdefault("max_overflow", 10)
    if transaction_pooling:
        kwargs.setdefault("connect_args", {})["prepare_threshold"] = None
    engine = create_engine(url, **kwargs)
    if role:
        set_role = f'set local role "{role}"'

        @event.listens_for(engine, "begin")
        def _set_role(connection: Connection) -> None:
            connection.exec_driver_sql(set_role)

    return engine


class Database:
    """An engine (or, in tests, one connection) and the sessions made from it."""

    def __init__(self, bind: Engine | Connection) -> None:
        self.bind = bind
        extra: dict[str, Any] = {}
        if isinstance(bind, Connection):
            extra["join_transaction_mode"] = "create_savepoint"
        self.sessionmaker = sessionmaker(bind=bind, expire_on_commit=False, **extra)

    def session(self, org_id: uuid.UUID | None) -> Session:
        """A session scoped to `org_id` (in the ORM and, for row-level security, in PostgreSQL)."""
        session: Session = self.sessionmaker()
        set_organisation(session, org_id)
        return session

    def ping(self) -> None:
        with self.sessionmaker() as session:
            session.execute(text("select 1"))

    def dispose(self) -> None:
        if isinstance(self.bind, Engine):
            self.bind.dispose()


def set_organisation(session: Session, org_id: uuid.UUID | None) -> None:
    """Scope the session, and its transaction in PostgreSQL (for row-level security).

    With None, the session sees no tenant rows at all.
    """
    session.info["org_id"] = org_id
    session.execute(text("select set_config('app.org_id', :org, true)"), {"org": str(org_id or "")})


@contextmanager
def committed(session: Session, caller: Caller) -> Iterator[Session]:
    """`session` as `caller`'s (for the audit trail): committed on success, rolled back on error."""
    session.info["caller"] = caller
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise


@contextmanager
def unit_of_work(database: Database, caller: Caller) -> Iterator[Session]:
    """A session for `caller`'s organisation that commits on success and rolls back on error."""
    with database.session(caller.org_id) as session, committed(session, caller):
        yield session


def get_session(request: Request, caller: CallerDep) -> Iterator[Session]:
    """The request's unit of work."""
    with unit_of_work(request.app.state.database, caller) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session, scope="function")]
"""The request's unit of work, committed before the response is sent: FastAPI's default scope
would commit after it, so a failed commit could follow a 201 the client already has."""


def platform_session(request: Request, caller: PlatformAdminDep) -> Iterator[Session]:
    """A platform administrator's unit of work: scoped to no council, so it reads and writes
    platform data only (a tenant query is refused, and row-level security shows no council's
    rows); it commits on success."""
    database: Database = request.app.state.database
    with database.session(None) as session, committed(session, caller):
        yield session


PlatformSessionDep = Annotated[Session, Depends(platform_session, scope="function")]
"""The platform administrator's unit of work, committed before the response is sent."""

__all__ = [
    "Caller",
    "Database",
    "DistributedTenantMixin",
    "PlatformSessionDep",
    "SessionDep",
    "TenantMixin",
    "TimestampMixin",
    "VersionedMixin",
    "council_foreign_key",
    "get_session",
    "make_engine",
    "schema_metadata",
]

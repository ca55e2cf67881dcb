"""PostgreSQL keeps councils apart even when a query forgets its filter."""

import uuid
from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select, text

from common.db import Database
from common.identity import Caller
from common.rls import TENANT_SCHEMAS
from common.testing.plugin import make_caller
from services.kpi.measures.models import Measure


def test_a_query_with_the_filter_removed_returns_no_other_councils_rows(
    api_as: Callable[[Caller], TestClient],
    database: Database,
    demo_org: uuid.UUID,
    other_org: uuid.UUID,
) -> None:
    api_as(make_caller(other_org)).post(
        "/api/v1/kpi/measures", json={"code": "T1", "title": "Theirs"}
    )
    api_as(make_caller(demo_org)).post("/api/v1/kpi/measures", json={"code": "O1", "title": "Ours"})

    with database.session(demo_org) as session:
        session.info["all_organisations"] = True  # switch off the ORM's own filter
        orm_rows = session.scalars(select(Measure)).all()
        raw_count = session.scalar(text("select count(*) from kpi.measures"))
    assert [m.code for m in orm_rows] == ["O1"]
    assert raw_count == 1


def test_a_session_with_no_organisation_sees_no_tenant_rows(
    api_as: Callable[[Caller], TestClient], database: Database, demo_org: uuid.UUID
) -> None:
    api_as(make_caller(demo_org)).post("/api/v1/kpi/measures", json={"code": "O2", "title": "Ours"})
    with database.session(None) as session:
        assert session.scalar(text("select count(*) from kpi.measures")) == 0


def test_every_tenant_table_has_forced_row_level_security(engine: Engine) -> None:
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                """select n.nspname, c.relname, c.relrowsecurity, c.relforcerowsecurity
                   from pg_class c join pg_namespace n on n.oid = c.relnamespace
                   join pg_attribute a on a.attrelid = c.oid and a.attname = 'org_id'
                   where c.relkind = 'r' and n.nspname = any(:schemas)"""
            ),
            {"schemas": list(TENANT_SCHEMAS)},
        ).all()
    assert rows, "no tenant tables found"
    unprotected = [f"{r[0]}.{r[1]}" for r in rows if not (r[2] and r[3])]
    assert unprotected == []


def test_the_services_role_owns_no_table(engine: Engine) -> None:
    with engine.connect() as connection:
        owned = connection.scalar(
            text("select count(*) from pg_tables where tableowner = 'asc_app'")
        )
    assert owned == 0

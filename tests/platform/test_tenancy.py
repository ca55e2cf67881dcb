"""Every query is scoped to the caller's organisation by construction."""

import uuid
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from common.db import Database, TenantScopeMissing
from common.identity import Caller
from common.testing.plugin import make_caller
from services.kpi.measures.models import Measure


def test_another_councils_records_are_invisible_through_the_api(
    api_as: Callable[[Caller], TestClient], demo_org: uuid.UUID, other_org: uuid.UUID
) -> None:
    ours = api_as(make_caller(demo_org))
    theirs = api_as(make_caller(other_org))
    created = theirs.post("/api/v1/kpi/measures", json={"code": "X1", "title": "Theirs"}).json()

    assert ours.get("/api/v1/kpi/measures").json()["total"] == 0
    assert ours.get(f"/api/v1/kpi/measures/{created['id']}").status_code == 404
    stale = ours.patch(
        f"/api/v1/kpi/measures/{created['id']}",
        json={"title": "Mine now"},
        headers={"If-Match": '"1"'},
    )
    assert stale.status_code == 404
    assert theirs.get(f"/api/v1/kpi/measures/{created['id']}").json()["title"] == "Theirs"


def test_the_same_code_may_exist_in_two_councils(
    api_as: Callable[[Caller], TestClient], demo_org: uuid.UUID, other_org: uuid.UUID
) -> None:
    for org in (demo_org, other_org):
        response = api_as(make_caller(org)).post(
            "/api/v1/kpi/measures", json={"code": "ASC1", "title": "Same code"}
        )
        assert response.status_code == 201


def test_new_rows_are_stamped_with_the_sessions_organisation(
    database: Database, demo_org: uuid.UUID
) -> None:
    with database.session(demo_org) as session:
        measure = Measure(code="S1", title="Stamped")
        session.add(measure)
        session.flush()
        assert measure.org_id == demo_org


def test_a_tenant_query_without_an_organisation_is_refused(database: Database) -> None:
    with database.session(None) as session, pytest.raises(TenantScopeMissing):
        session.scalars(select(Measure)).all()


def test_a_row_cannot_be_written_into_another_organisation(
    database: Database, demo_org: uuid.UUID, other_org: uuid.UUID
) -> None:
    with database.session(demo_org) as session:
        session.add(Measure(code="S2", title="Smuggled", org_id=other_org))
        with pytest.raises(TenantScopeMissing):
            session.flush()

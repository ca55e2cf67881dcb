"""The demo council's KPIs: the council's own table, and generated actuals showing every RAG."""

import uuid
from datetime import date
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from common.db import Database, set_organisation
from services.kpi import demo
from services.kpi.actuals.models import Actual, ActualRevision
from services.kpi.measures.models import Measure
from services.kpi.targets.models import Target
from tests.kpi.factories import API

TODAY = date(2026, 11, 24)


@pytest.fixture
def loaded(database: Database, demo_org: uuid.UUID) -> None:
    with database.session(demo_org) as session:
        set_organisation(session, demo_org)
        demo.load(session, today=TODAY)
        session.commit()


@pytest.mark.usefixtures("loaded")
def test_the_councils_twelve_measures_and_36_targets_as_written(
    database: Database, demo_org: uuid.UUID
) -> None:
    with database.session(demo_org) as session:
        measures = {m.code: m for m in session.scalars(select(Measure))}
        targets = list(session.scalars(select(Target)))
    assert len(measures) == 12
    assert len(targets) == 36
    falls = measures["ASC07"]
    assert (falls.unit, falls.polarity, falls.frequency, falls.target_type) == (
        "rate_per_100k",
        "smaller_is_better",
        "quarterly",
        "cumulative",
    )
    notes = {(t.measure_id, t.financial_year): t for t in targets}
    direct_debit = notes[(measures["ASC10"].id, "2026/27")]
    assert direct_debit.value == Decimal(35)
    assert direct_debit.note == "Current baseline 19% / Target level of 35%"
    assert measures["ASC10"].baseline_value == Decimal(19)
    saving = notes[(measures["ASC11"].id, "2025/26")]
    assert (saving.value, saving.kind, saving.note) == (
        Decimal(376000),
        "reduction",
        "£376k reduction",
    )
    assert notes[(falls.id, "2025/26")].value == Decimal(1102)
    assert measures["ASC01"].council_plan is True
    assert measures["ASC12"].baseline_value == Decimal(131)


@pytest.mark.usefixtures("loaded")
def test_every_rag_state_appears(api: TestClient) -> None:
    latest = api.get(f"{API}/scorecard", params={"period": "2026-10"}).json()["counts"]
    assert all(latest[state] > 0 for state in ("green", "amber", "red", "no_data")), latest
    baseline_year = api.get(f"{API}/scorecard", params={"period": "2025-03"}).json()["counts"]
    assert baseline_year["no_target"] == 1


@pytest.mark.usefixtures("loaded")
def test_demo_actuals_are_labelled_and_have_history(
    database: Database, demo_org: uuid.UUID
) -> None:
    with database.session(demo_org) as session:
        actuals = list(session.scalars(select(Actual)))
        corrected = session.scalar(select(func.count()).where(ActualRevision.action == "corrected"))
    assert actuals
    assert all(a.commentary.startswith("Demo data") for a in actuals)
    assert max(a.period_start for a in actuals) <= date(2026, 10, 1)
    assert corrected == 1

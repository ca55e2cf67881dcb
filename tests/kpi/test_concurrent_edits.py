"""Two people editing one actual at the same moment, in two real transactions: one wins, and the
other is refused even when both passed the If-Match check before either wrote."""

import uuid
from collections.abc import Iterator
from decimal import Decimal

import pytest
from sqlalchemy import Engine, delete
from sqlalchemy.orm.exc import StaleDataError

from common import crud
from common.db import Database, set_organisation
from common.testing.plugin import make_caller
from services.kpi.actuals import service as actuals
from services.kpi.actuals.models import Actual
from services.kpi.actuals.schemas import ActualCreate, ActualUpdate
from services.kpi.measures.models import Measure


@pytest.fixture
def committed(engine: Engine) -> Iterator[tuple[Database, uuid.UUID, uuid.UUID]]:
    """An actual committed for real (not rolled back), removed again afterwards."""
    database = Database(engine)
    org_id = uuid.uuid4()
    caller = make_caller(org_id)
    with database.session(org_id) as session:
        set_organisation(session, org_id)
        measure = Measure(code="RACE", title="Raced")
        session.add(measure)
        session.flush()
        actual = actuals.create_actual(
            session,
            data=ActualCreate(measure_id=measure.id, period="2025-05", value=Decimal(50)),
            caller=caller,
        )
        session.commit()
        actual_id = actual.id
    yield database, org_id, actual_id
    with database.session(org_id) as session:
        set_organisation(session, org_id)
        session.execute(delete(Measure).where(Measure.org_id == org_id))
        session.commit()


def test_the_second_of_two_simultaneous_writes_is_refused(
    committed: tuple[Database, uuid.UUID, uuid.UUID],
) -> None:
    database, org_id, actual_id = committed
    caller = make_caller(org_id)
    with database.session(org_id) as first, database.session(org_id) as second:
        set_organisation(first, org_id)
        set_organisation(second, org_id)
        mine = crud.get_or_404(first, Actual, actual_id, "actual")
        theirs = crud.get_or_404(second, Actual, actual_id, "actual")
        assert mine.version == theirs.version == 1  # both would pass If-Match
        actuals.update_actual(
            first, actual=mine, data=ActualUpdate(value=Decimal(51)), caller=caller
        )
        first.commit()
        with pytest.raises(StaleDataError):
            actuals.update_actual(
                second, actual=theirs, data=ActualUpdate(value=Decimal(52)), caller=caller
            )
        second.rollback()
    with database.session(org_id) as session:
        set_organisation(session, org_id)
        assert crud.get_or_404(session, Actual, actual_id, "actual").value == Decimal(51)

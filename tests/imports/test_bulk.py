"""Bulk writes for imports: many rows per statement, their defaults, and optimistic concurrency."""

import uuid
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from common.bulk import StaleRows, insert_rows, one_of, update_rows
from common.db import Database
from services.finance.savings.models import SavingsLine
from services.kpi.measures.models import Measure
from services.kpi.targets.models import Target


def test_inserted_rows_get_their_column_defaults_and_read_back_exactly(
    database: Database, demo_org: uuid.UUID
) -> None:
    with database.session(demo_org) as session:
        rows = insert_rows(
            session,
            Measure,
            [{"org_id": demo_org, "code": f"B{n}", "title": f"Bulk {n}"} for n in range(3)],
        )
        insert_rows(
            session,
            Target,
            [
                {"org_id": demo_org, "measure_id": rows[0]["id"], "financial_year": "2025/26"}
                | {"value": Decimal("12.5"), "profile": ["1", "2"]}
            ],
        )
        stored = session.scalars(select(Measure).where(one_of(Measure.id, [r["id"] for r in rows])))
        assert sorted((m.code, m.version, m.unit, m.tolerance) for m in stored) == [
            ("B0", 1, "count", Decimal(5)),
            ("B1", 1, "count", Decimal(5)),
            ("B2", 1, "count", Decimal(5)),
        ]
        target = session.scalars(select(Target)).one()
        assert (target.value, target.profile, target.kind) == (Decimal("12.5"), ["1", "2"], "level")


def test_an_update_of_a_row_changed_since_it_was_read_is_refused(
    database: Database, demo_org: uuid.UUID
) -> None:
    with database.session(demo_org) as session:
        (row,) = insert_rows(session, Measure, [{"org_id": demo_org, "code": "B", "title": "x"}])
        update_rows(session, Measure, [{"id": row["id"], "version": 1, "title": "y"}])
        with pytest.raises(StaleRows):
            update_rows(session, Measure, [{"id": row["id"], "version": 1, "title": "z"}])
        stored = session.scalars(select(Measure)).one()
        session.refresh(stored)
        assert (stored.title, stored.version) == ("y", 2)


def test_array_columns_keep_each_rows_own_list_when_inserted_and_updated(
    database: Database, demo_org: uuid.UUID
) -> None:
    first, second = uuid.uuid4(), uuid.uuid4()
    line = {"org_id": demo_org, "category": "other", "saving_type": "cashable"} | {
        "recurrence": "recurring",
        "delivery_confidence": "amber",
        "status": "proposed",
    }
    with database.session(demo_org) as session:
        rows = insert_rows(
            session,
            SavingsLine,
            [
                line | {"reference": "A", "title": "Two", "project_ids": [first, second]},
                line | {"reference": "B", "title": "None", "project_ids": []},
                line | {"reference": "C", "title": 'A "quoted" one'},
            ],
        )
        stored = {s.reference: s for s in session.scalars(select(SavingsLine))}
        assert [stored[r].project_ids for r in "ABC"] == [[first, second], [], []]
        assert stored["C"].title == 'A "quoted" one'
        update_rows(
            session,
            SavingsLine,
            [
                {"id": rows[0]["id"], "version": 1, "project_ids": [second]},
                {"id": rows[1]["id"], "version": 1, "project_ids": [first, second]},
            ],
        )
        session.expire_all()
        stored = {s.reference: s for s in session.scalars(select(SavingsLine))}
        assert [stored[r].project_ids for r in "AB"] == [[second], [first, second]]
        assert [stored[r].version for r in "AB"] == [2, 2]


def test_a_row_refused_by_a_constraint_raises_as_the_orm_would(
    database: Database, demo_org: uuid.UUID
) -> None:
    with database.session(demo_org) as session, pytest.raises(IntegrityError):
        insert_rows(
            session,
            Target,
            [{"org_id": demo_org, "measure_id": uuid.uuid4(), "financial_year": "2025/26"}],
        )

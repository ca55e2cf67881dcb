"""Use cases of reconciliation flags: keep a committed import's, list, mark explained."""

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from common.audit import record_created
from common.bulk import insert_rows
from common.mapping import Shaped, reconciliation_json
from services.finance.reconciliations.models import ReconciliationFlag


def keep_flags(session: Session, *, tracker: str, filename: str, shape: Shaped) -> None:
    """Store each stated total of `shape` that did not add up, for the `tracker` it went to."""
    rows = []
    for reconciliation in shape.reconciliations:
        found = reconciliation_json(reconciliation, shape.table)
        rows.append(
            {
                "org_id": session.info["org_id"],
                "tracker": tracker,
                "filename": filename,
                "sheet": shape.table.sheet,
                "row": reconciliation.row,
                "label": reconciliation.label,
                "stated": found["stated"],
                "lines": found["lines"],
                "message": reconciliation.message(),
            }
        )
    if rows:
        record_created(session, ReconciliationFlag, insert_rows(session, ReconciliationFlag, rows))


def flags(
    session: Session, *, tracker: str, explained: bool | None
) -> Sequence[ReconciliationFlag]:
    """A tracker's flags, newest first; `explained` False keeps only those still open."""
    query = select(ReconciliationFlag).where(ReconciliationFlag.tracker == tracker)
    if explained is not None:
        query = query.where(ReconciliationFlag.explained_at.is_(None) != explained)
    return session.scalars(query.order_by(ReconciliationFlag.created_at.desc())).all()


def explain(session: Session, flag: ReconciliationFlag, *, explanation: str, by: str) -> None:
    """Mark `flag` explained, with the note that says why the figures differ."""
    flag.explanation, flag.explained_by = explanation, by
    flag.explained_at = datetime.now(UTC)
    session.flush()

"""KPI tasks of one person: figures their team owes, and figures waiting for their approval."""

from datetime import date, timedelta
from urllib.parse import urlencode

from sqlalchemy import select
from sqlalchemy.orm import Session

from common.deadlines import Deadlines, figures_close, figures_due
from common.identity import Caller, Role
from common.periods import Frequency, Period
from common.tasks import OverdueItem, TaskItem
from services.kpi.actuals.models import Actual, ActualRevision
from services.kpi.actuals.rules import MANAGERS
from services.kpi.measures.models import Measure
from services.kpi.scorecard.rules import period_ended_by
from services.kpi.tasks.rules import DONE, open_periods


def tasks_for(session: Session, *, caller: Caller, today: date) -> list[TaskItem]:
    """What the caller has to do in KPIs today."""
    return _figures_due(session, caller, today) + _approvals(session, caller, today)


def _figures_due(session: Session, caller: Caller, today: date) -> list[TaskItem]:
    """Figures of the periods still open that the caller's team provides and has not sent."""
    if not caller.team or not caller.has_any(Role.DATA_PROVIDER, *MANAGERS):
        return []
    return [item for item, _ in _figures_owed(session, caller.deadlines, today, team=caller.team)]


def overdue(session: Session, *, deadlines: Deadlines, today: date) -> list[OverdueItem]:
    """Every team's figures past their due date in the periods still open."""
    return [
        OverdueItem(**item.model_dump(), owner=team)
        for item, team in _figures_owed(session, deadlines, today, team=None)
        if item.overdue
    ]


def _figures_owed(
    session: Session, deadlines: Deadlines, today: date, *, team: str | None
) -> list[tuple[TaskItem, str]]:
    """Figures of the periods still open not yet sent, each with the team that provides it:
    one team's, or (`team=None`) every active measure's."""
    statement = select(Measure).where(Measure.active).order_by(Measure.code)
    if team is not None:
        statement = statement.where(Measure.data_provider == team)
    measures = list(session.scalars(statement))
    periods = {f: open_periods(f, deadlines, today) for f in Frequency}
    codes = {p.code for ps in periods.values() for p in ps}
    status = {
        (measure_id, period): state
        for measure_id, period, state in session.execute(
            select(Actual.measure_id, Actual.period, Actual.status).where(
                Actual.measure_id.in_([m.id for m in measures]), Actual.period.in_(codes)
            )
        )
    }
    items: list[tuple[TaskItem, str]] = []
    for measure in measures:
        for period in periods[Frequency(measure.frequency)]:
            state = status.get((measure.id, period.code))
            if state in DONE:
                continue
            verb = "Correct the returned figure" if state == "returned" else "Enter the figure"
            item = TaskItem.as_of(
                today,
                key=f"kpi:figure:{measure.id}:{period.code}",
                kind="figure",
                title=f"{verb} for {measure.code} {measure.title}, {period.label}",
                due=figures_due(period, deadlines),
                link="/kpis/entry?"
                + urlencode({"period": period.code, "provider": measure.data_provider}),
            )
            items.append((item, measure.data_provider))
    return items


def _approvals(session: Session, caller: Caller, today: date) -> list[TaskItem]:
    """Submitted figures the caller may approve, due before their period closes."""
    if not caller.has_any(*MANAGERS):
        return []
    waiting = list(
        session.execute(
            select(Actual, Measure)
            .join(Measure, Measure.id == Actual.measure_id)
            .where(Actual.status == "submitted")
            .order_by(Actual.period_start, Measure.code)
        )
    )
    submitters: dict[object, str] = {}
    for actual_id, changed_by in session.execute(
        select(ActualRevision.actual_id, ActualRevision.changed_by)
        .where(
            ActualRevision.actual_id.in_([a.id for a, _ in waiting]),
            ActualRevision.action == "submitted",
        )
        .order_by(ActualRevision.number)
    ):
        submitters[actual_id] = changed_by  # the last submission wins
    items: list[TaskItem] = []
    for actual, measure in waiting:
        if submitters.get(actual.id) == caller.user_id and not caller.self_approval:
            continue  # someone else must approve it
        period = Period.parse(actual.period)
        closes = figures_close(period, caller.deadlines)
        # Due before the period closes; where periods never close, by the figures' due date.
        due = closes - timedelta(days=1) if closes else figures_due(period, caller.deadlines)
        items.append(
            TaskItem.as_of(
                today,
                key=f"kpi:approval:{actual.id}",
                kind="approval",
                title=f"Approve or return {measure.code} {measure.title}, {period.label}",
                due=due,
                link="/kpis/approvals",
            )
        )
    return items


def unreported(session: Session, *, today: date) -> list[dict[str, object]]:
    """Active measures with no figure sent (submitted or approved) for either of their last
    two ended periods, each with those periods' labels: measures nobody is reporting."""
    measures = list(session.scalars(select(Measure).where(Measure.active).order_by(Measure.code)))
    last_two: dict[Frequency, list[Period]] = {}
    for frequency in Frequency:
        latest = period_ended_by(frequency, today)
        last_two[frequency] = [latest.previous(), latest]
    codes = {p.code for ps in last_two.values() for p in ps}
    sent = {
        measure_id
        for measure_id, state in session.execute(
            select(Actual.measure_id, Actual.status).where(
                Actual.measure_id.in_([m.id for m in measures]), Actual.period.in_(codes)
            )
        )
        if state in DONE
    }
    found: list[dict[str, object]] = []
    for measure in measures:
        periods = last_two[Frequency(measure.frequency)]
        if measure.id in sent:
            continue
        found.append(
            {
                "id": measure.id,
                "code": measure.code,
                "title": measure.title,
                "data_provider": measure.data_provider,
                "periods": [p.label for p in periods],
            }
        )
    return found

"""Pure rules of the projects service: derived values and checks."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from services.projects.improvement.rules import ActionFacts, ActionStatus, action_counts
from services.projects.milestones.rules import (
    MilestoneFacts,
    MilestoneStatus,
    days_late,
    is_overdue,
    milestone_errors,
    next_milestone,
    worst_days_late,
)
from services.projects.plan.rules import may_change_plan
from services.projects.portfolio.rules import (
    Rag,
    count_by,
    may_change_project,
    month_order_errors,
    rag_reason_errors,
)
from services.projects.raid.rules import raid_score, raid_severity

D = date(2025, 6, 1)
dates = st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))
statuses = st.sampled_from([s.value for s in MilestoneStatus])


def test_slippage_is_forecast_minus_baseline_while_unfinished() -> None:
    assert days_late(D, D + timedelta(days=10), None, today=D) == 10


def test_slippage_uses_the_actual_date_once_completed() -> None:
    later = D + timedelta(days=90)
    assert days_late(D, D + timedelta(days=30), D + timedelta(days=3), later) == 3


def test_slippage_is_negative_when_early_and_zero_on_the_baseline() -> None:
    before = D - timedelta(days=30)
    assert days_late(D, D - timedelta(days=5), None, today=before) == -5
    assert days_late(D, None, None, today=before) == 0


def test_an_unfinished_milestone_past_its_date_keeps_slipping_until_today() -> None:
    today = D + timedelta(days=12)
    assert days_late(D, None, None, today=today) == 12
    assert days_late(D, D + timedelta(days=5), None, today=today) == 12


@given(baseline=dates, forecast=st.none() | dates, actual=st.none() | dates, today=dates)
def test_slippage_counts_from_baseline_to_actual_else_the_later_of_due_and_today(
    baseline: date, forecast: date | None, actual: date | None, today: date
) -> None:
    counted = actual or max(forecast or baseline, today)
    slip = days_late(baseline, forecast, actual, today)
    assert baseline + timedelta(days=slip) == counted
    if actual is None:
        assert slip >= (today - baseline).days


def test_unfinished_milestone_past_its_forecast_is_overdue() -> None:
    assert is_overdue(
        baseline=D, forecast=D + timedelta(days=5), status="in_progress", today=D + timedelta(6)
    )


def test_milestone_due_today_is_not_yet_overdue() -> None:
    assert not is_overdue(baseline=D, forecast=None, status="not_started", today=D)


def test_a_later_forecast_stops_a_past_baseline_being_overdue() -> None:
    assert not is_overdue(
        baseline=D, forecast=D + timedelta(days=30), status="in_progress", today=D + timedelta(1)
    )


@given(baseline=dates, forecast=st.none() | dates, today=dates)
def test_completed_or_cancelled_milestones_are_never_overdue(
    baseline: date, forecast: date | None, today: date
) -> None:
    for status in ("completed", "cancelled"):
        assert not is_overdue(baseline=baseline, forecast=forecast, status=status, today=today)


@given(baseline=dates, forecast=st.none() | dates, today=dates, status=statuses)
def test_overdue_means_unfinished_with_due_date_before_today(
    baseline: date, forecast: date | None, today: date, status: str
) -> None:
    expected = status in ("not_started", "in_progress") and (forecast or baseline) < today
    assert is_overdue(baseline=baseline, forecast=forecast, status=status, today=today) is (
        expected
    )


def test_completion_date_in_the_future_is_refused() -> None:
    errors = milestone_errors(status="completed", actual_date=D + timedelta(1), today=D)
    assert errors == [
        {"field": "actual_date", "message": "The completion date cannot be in the future"}
    ]


def test_completed_milestone_needs_its_completion_date() -> None:
    errors = milestone_errors(status="completed", actual_date=None, today=D)
    assert [e["field"] for e in errors] == ["actual_date"]
    assert milestone_errors(status="completed", actual_date=D, today=D) == []


def test_amber_and_red_need_a_reason_green_does_not() -> None:
    assert rag_reason_errors("cost_rag", "amber", " ")[0]["field"] == "cost_rag_reason"
    assert "off track" in rag_reason_errors("rag", "red", "")[0]["message"]
    assert rag_reason_errors("rag", "red", "Supplier late") == []
    assert rag_reason_errors("rag", "green", "") == []
    assert rag_reason_errors("rag", None, "") == []


def test_end_month_before_start_is_refused_and_same_month_is_allowed() -> None:
    assert month_order_errors(date(2025, 4, 1), date(2025, 3, 1))[0]["field"] == "end_month"
    assert month_order_errors(date(2025, 4, 1), date(2025, 4, 1)) == []
    assert month_order_errors(None, date(2025, 4, 1)) == []


def test_raid_score_is_likelihood_times_impact_with_bands() -> None:
    assert raid_score(3, 4) == 12
    assert raid_severity(12) == Rag.AMBER
    assert raid_severity(raid_score(5, 3)) == Rag.RED
    assert raid_severity(raid_score(1, 5)) == Rag.GREEN


@given(likelihood=st.integers(1, 5), impact=st.integers(1, 5))
def test_raid_score_is_between_1_and_25_and_grows_with_each_factor(
    likelihood: int, impact: int
) -> None:
    score = raid_score(likelihood, impact)
    assert 1 <= score <= 25
    if likelihood < 5:
        assert raid_score(likelihood + 1, impact) > score


def test_raid_score_outside_one_to_five_is_an_error() -> None:
    import pytest

    with pytest.raises(ValueError, match="1 to 5"):
        raid_score(0, 3)


def _m(title: str, baseline: date, status: str = "not_started", **kw: date) -> MilestoneFacts:
    return MilestoneFacts(
        title=title,
        baseline_date=baseline,
        forecast_date=kw.get("forecast"),
        actual_date=kw.get("actual"),
        status=status,
    )


def test_next_milestone_is_the_unfinished_one_expected_soonest() -> None:
    milestones = [
        _m("Done", D, "completed", actual=D),
        _m("Later", D + timedelta(10)),
        _m("Moved earlier", D + timedelta(20), forecast=D + timedelta(5)),
    ]
    upcoming = next_milestone(milestones)
    assert upcoming is not None
    assert upcoming.title == "Moved earlier"
    assert next_milestone([_m("Done", D, "completed", actual=D)]) is None


def test_worst_slippage_ignores_cancelled_milestones() -> None:
    milestones = [
        _m("Late", D, forecast=D + timedelta(9)),
        _m("Dropped", D, "cancelled", forecast=D + timedelta(90)),
        _m("Early", D, forecast=D - timedelta(3)),
    ]
    assert worst_days_late(milestones, today=D) == 9
    assert worst_days_late([], today=D) is None


def test_action_counts_open_and_closed_by_area() -> None:
    counts = action_counts(
        [
            ActionFacts(area, status, None, None)
            for area, status in (
                ("Workforce development", "completed"),
                ("Quality assurance", "in_progress"),
                ("Workforce development", "not_started"),
                ("Quality assurance", "not_started"),
            )
        ],
        on=D,
    )
    assert [(c.area, c.open, c.closed, c.total) for c in counts] == [
        ("Quality assurance", 2, 0, 2),
        ("Workforce development", 1, 1, 2),
    ]


@given(
    st.lists(st.tuples(st.sampled_from("ABC"), st.sampled_from([s.value for s in ActionStatus])))
)
def test_action_counts_add_up_to_the_actions(actions: list[tuple[str, str]]) -> None:
    counts = action_counts([ActionFacts(a, s, None, None) for a, s in actions], on=D)
    assert sum(c.total for c in counts) == len(actions)
    assert sum(c.closed for c in counts) == sum(s == "completed" for _, s in actions)


def test_count_by_lists_every_key_and_counts_none_separately() -> None:
    assert count_by(["red", None, "red"], ["green", "amber", "red"], "not_set") == {
        "green": 0,
        "amber": 0,
        "red": 2,
        "not_set": 1,
    }


def may_change(roles: list[str], team: str | None, lead_team: str) -> bool:
    return may_change_project(roles=roles, team=team, lead_team=lead_team)


def test_a_service_lead_changes_only_the_projects_their_team_leads() -> None:
    assert may_change(["service_lead"], "Commissioning Team", "Commissioning Team")
    assert may_change(["service_lead"], " Commissioning Team ", "Commissioning Team")
    assert not may_change(["service_lead"], "Operations Team", "Commissioning Team")


def test_a_project_without_a_lead_team_has_no_lead() -> None:
    assert not may_change(["service_lead"], None, "")
    assert not may_change(["service_lead"], "", "")
    assert not may_change(["service_lead"], "  ", " ")


def test_the_programme_office_and_admins_change_every_project_whatever_their_team() -> None:
    assert may_change(["programme_office"], None, "Commissioning Team")
    assert may_change(["admin"], "Operations Team", "Commissioning Team")


def test_other_roles_change_no_project_even_of_their_own_team() -> None:
    for role in ("data_provider", "finance", "viewer"):
        assert not may_change([role], "Commissioning Team", "Commissioning Team"), role


def test_only_the_programme_office_and_admins_shape_the_plan() -> None:
    allowed = {
        role: may_change_plan(roles=[role])
        for role in ("admin", "programme_office", "service_lead", "data_provider", "finance")
    }
    assert allowed == {
        "admin": True,
        "programme_office": True,
        "service_lead": False,
        "data_provider": False,
        "finance": False,
    }
    assert may_change_plan(roles=["service_lead", "programme_office"])

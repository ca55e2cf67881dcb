"""The director's part of the dashboard: RAG by service area with its direction of travel,
cashable savings and the budget forecast month by month (each chart beside a table of its
numbers), the council's overdue items, and what has no active owner.

Every figure comes from the service that owns it; this module only words and draws them.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from markupsafe import Markup

from common.charts import money_tick
from common.money import format_money
from common.periods import FinancialYear, Period
from web.charts import Series, line_chart
from web.clients.finance_api_client import FinanceApiClient
from web.clients.gateway import GatewayClient
from web.clients.gateway_api_client import GatewayApiClient
from web.clients.kpi_api_client import KpiApiClient
from web.clients.models import AreaStatus, BudgetTrend, OverdueItem, SavingsTrend
from web.clients.projects_api_client import ProjectsApiClient
from web.roles import Area, may_change

M = TypeVar("M")
RAGS = ("green", "amber", "red", "no_data", "no_target")
TRAVEL = {
    "better": ("↑", "Better than last period"),
    "worse": ("↓", "Worse than last period"),
    "same": ("→", "The same as last period"),
    "not_known": ("", "Not known: no measure has a status in both periods"),
}
"""Each direction of travel as an arrow (for the eye) and words (for everyone)."""


@dataclass(frozen=True)
class AreaRow:
    area: AreaStatus
    name: str
    arrow: str
    words: str
    no_data: bool
    """No measure of the area has a figure to judge this period."""


def area_rows(areas: list[AreaStatus]) -> list[AreaRow]:
    """Each service area's row: its name, its direction in an arrow and words, and whether
    the period has no figures for it."""
    return [
        AreaRow(
            area=a,
            name=a.service_area or "No service area",
            arrow=TRAVEL.get(a.direction, ("", a.direction))[0],
            words=TRAVEL.get(a.direction, ("", a.direction))[1],
            no_data=a.counts.get("no_data", 0) == a.measures,
        )
        for a in areas
    ]


def _month(code: str) -> str:
    return f"{Period.parse(code).start:%b %Y}"


def _latest(months: list[M], known: Callable[[M], bool]) -> M | None:
    return next((m for m in reversed(months) if known(m)), None)


def _by_month(
    chart_id: str,
    subject: str,
    trend: SavingsTrend | BudgetTrend,
    message: str,
    series: list[Series],
) -> Markup:
    """A money chart of a trend over the months of its year, titled by its subject and year;
    its description is its message."""
    return Markup(
        line_chart(
            title=f"{subject} {trend.financial_year}, month by month",
            description=message + " The table beside the chart gives every month's numbers.",
            labels=[f"{Period.parse(m.month).start:%b}" for m in trend.months],
            series=series,
            chart_id=chart_id,
            tick_label=money_tick,
        )
    )


def savings_chart(trend: SavingsTrend) -> Markup | None:
    """Achieved and forecast against target month by month; None with no returns yet."""
    latest = _latest(trend.months, lambda m: m.forecast_for_year is not None)
    if latest is None:
        return None
    achieved, forecast = latest.achieved_to_date or Decimal(0), latest.forecast_for_year
    message = (
        f"By {_month(latest.month)}, {format_money(achieved, short=True)} of cashable savings "
        f"delivered and {format_money(forecast or Decimal(0), short=True)} forecast for the "
        f"year, against a target of {format_money(trend.target, short=True)}."
    )
    return _by_month(
        "savings-trend-chart",
        "Cashable savings",
        trend,
        message,
        [
            Series("Delivered to date", [m.achieved_to_date for m in trend.months]),
            Series(
                "Forecast for the year", [m.forecast_for_year for m in trend.months], dashed=True
            ),
            Series("Target", [trend.target] * len(trend.months), dashed=True, dash_pattern="2 4"),
        ],
    )


def budget_chart(trend: BudgetTrend) -> Markup | None:
    """The forecast outturn month by month against the budget; None with no forecast yet."""
    latest = _latest(trend.months, lambda m: m.forecast_outturn is not None)
    if latest is None or latest.forecast_outturn is None:
        return None
    message = (
        f"In {_month(latest.month)} the forecast outturn was "
        f"{format_money(latest.forecast_outturn, short=True)} against a budget of "
        f"{format_money(trend.budget, short=True)}: {variance_words(latest.variance)}."
    )
    return _by_month(
        "budget-trend-chart",
        "Budget forecast",
        trend,
        message,
        [
            Series("Forecast outturn", [m.forecast_outturn for m in trend.months]),
            Series("Budget", [trend.budget] * len(trend.months), dashed=True),
        ],
    )


def variance_words(variance: Decimal | None) -> str:
    """A variance as councils say it.

    >>> variance_words(Decimal("-250000"))
    '£250k underspend'
    >>> variance_words(Decimal("0"))
    'on budget'
    """
    if variance is None:
        return "no forecast"
    if variance == 0:
        return "on budget"
    words = "overspend" if variance > 0 else "underspend"
    return f"{format_money(abs(variance), short=True)} {words}"


OVERDUE_AREAS: dict[str, Area] = {
    "figure": "kpi",
    "milestone": "projects",
    "improvement_action": "plan",
}
"""Who may clear each kind of overdue item, as `web.roles` names it."""


@dataclass(frozen=True)
class OverdueRow:
    item: OverdueItem
    link: str | None
    """The form that clears it, for someone who may use that form; None for anyone else."""


def overdue_rows(items: list[OverdueItem], roles: list[str]) -> list[OverdueRow]:
    """The council's overdue items, oldest first, each linking to its form only for someone
    who may clear it (a viewer is never offered a form they would be refused)."""
    return [
        OverdueRow(
            item=item,
            link=item.link if may_change(roles, OVERDUE_AREAS.get(item.kind, "admin")) else None,
        )
        for item in sorted(items, key=lambda item: (item.due, item.title))
    ]


async def director_view(
    gateway: GatewayClient, section: Callable[[Awaitable[Any]], Awaitable[Any]], roles: list[str]
) -> dict[str, Any]:
    """What the director's part of the dashboard shows, each section on its own (one service
    down never takes the others with it)."""
    kpi, finance = KpiApiClient(gateway), FinanceApiClient(gateway)
    year = FinancialYear.containing(date.today()).label
    areas = await section(kpi.service_areas())
    savings = await section(finance.savings_trend(year))
    budget = await section(finance.budget_trend())
    overdue_kpi = await section(kpi.overdue())
    overdue_projects = await section(ProjectsApiClient(gateway).overdue())
    unowned = await section(GatewayApiClient(gateway).no_active_owner())
    overdue = overdue_rows([*(overdue_kpi.data or []), *(overdue_projects.data or [])], roles)
    return {
        "areas": areas,
        "area_rows": area_rows(areas.data.areas) if areas.data else [],
        "rags": RAGS,
        "savings_trend": savings,
        "savings_chart": savings_chart(savings.data) if savings.data else None,
        "budget_trend": budget,
        "budget_chart": budget_chart(budget.data) if budget.data else None,
        "overdue": overdue,
        "overdue_down": [c for c in (overdue_kpi, overdue_projects) if c.data is None],
        "unowned": unowned,
        "month_label": _month,
        "variance_words": variance_words,
    }

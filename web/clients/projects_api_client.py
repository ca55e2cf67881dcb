"""The projects service's API as the web pages use it (through the gateway, like any client).

Also reads what the objectives page needs of the kpi service: each measure's current RAG.
"""

from typing import Any

from pydantic import BaseModel

from web.clients.gateway import (
    ApiError,
    Editable,
    Endpoint,
    GatewayClient,
    if_match,
    query,
)
from web.clients.kpi_api_client import MEASURE, SCORECARD
from web.clients.models import (
    HighlightReport,
    ImprovementAction,
    ImprovementPlanSummary,
    Milestone,
    Objective,
    OverdueItem,
    Page,
    PortfolioSummary,
    Priority,
    Programme,
    Project,
    RaidItem,
    Timeline,
)

WHAT = "projects service"
PROJECTS = Endpoint("GET", "/projects/projects", Page[Project], WHAT)
PROJECT = Endpoint("GET", "/projects/projects/{project_id}", Project, WHAT)
EDITABLE_PROJECT = Editable(PROJECT, retires=True)
LEAD_TEAMS = Endpoint("GET", "/projects/projects/lead-teams", Page[str], WHAT)
TIMELINE = Endpoint("GET", "/projects/projects/{project_id}/timeline", Timeline, WHAT)
MILESTONE = Endpoint("GET", "/projects/milestones/{milestone_id}", Milestone, WHAT)
EDITABLE_MILESTONE = Editable(MILESTONE)
HIGHLIGHT_REPORT = Endpoint("GET", "/projects/highlight-reports/{report_id}", HighlightReport, WHAT)
EDITABLE_HIGHLIGHT_REPORT = Editable(HIGHLIGHT_REPORT)
RAID_ITEM = Endpoint("GET", "/projects/raid-items/{item_id}", RaidItem, WHAT)
EDITABLE_RAID_ITEM = Editable(RAID_ITEM)
OBJECTIVE = Endpoint("GET", "/projects/objectives/{objective_id}", Objective, WHAT)
EDITABLE_OBJECTIVE = Editable(OBJECTIVE, retires=True)
PRIORITY = Endpoint("GET", "/projects/priorities/{priority_id}", Priority, WHAT)
EDITABLE_PRIORITY = Editable(PRIORITY, retires=True)
ACTION = Endpoint("GET", "/projects/improvement-actions/{action_id}", ImprovementAction, WHAT)
EDITABLE_ACTION = Editable(ACTION, retires=True)
HIGHLIGHT_REPORTS = Endpoint("GET", "/projects/highlight-reports", Page[HighlightReport], WHAT)
RAID_ITEMS = Endpoint("GET", "/projects/raid-items", Page[RaidItem], WHAT)
OBJECTIVES = Endpoint("GET", "/projects/objectives", Page[Objective], WHAT)
PRIORITIES = Endpoint("GET", "/projects/priorities", Page[Priority], WHAT)
PROGRAMMES = Endpoint("GET", "/projects/programmes", Page[Programme], WHAT)
ACTIONS = Endpoint("GET", "/projects/improvement-actions", Page[ImprovementAction], WHAT)
PLAN_SUMMARY = Endpoint(
    "GET", "/projects/improvement-actions/summary", ImprovementPlanSummary, WHAT
)
PORTFOLIO = Endpoint("GET", "/projects/portfolio/summary", PortfolioSummary, WHAT)
OVERDUE = Endpoint("GET", "/projects/overdue", Page[OverdueItem], WHAT)


class KpiStatus(BaseModel):
    """A measure as the objectives page shows it: its title and its current RAG."""

    title: str
    code: str = ""
    rag: str | None = "no_data"
    period: str = ""


def _retired(include: bool) -> dict[str, str]:
    """The query that also lists retired records (left out by default)."""
    return {"include_retired": "true"} if include else {}


class ProjectsApiClient:
    def __init__(self, gateway: GatewayClient) -> None:
        self._gateway = gateway

    @property
    def gateway(self) -> GatewayClient:
        """The page view's gateway client, for a page that also reads another service."""
        return self._gateway

    async def projects(self, **filters: Any) -> list[Project]:
        return await self._gateway.every(PROJECTS, **filters)

    async def project(self, project_id: str) -> Project:
        return await self._gateway.call(PROJECT, {"project_id": project_id})

    async def lead_teams(self) -> list[str]:
        return await self._gateway.every(LEAD_TEAMS)

    async def timeline(self, project_id: str) -> Timeline:
        return await self._gateway.call(TIMELINE, {"project_id": project_id})

    async def milestone(self, milestone_id: str) -> Milestone:
        return await self._gateway.call(MILESTONE, {"milestone_id": milestone_id})

    async def highlight_reports(self, project_id: str) -> list[HighlightReport]:
        return await self._gateway.every(HIGHLIGHT_REPORTS, project_id=project_id)

    async def raid_items(self, project_id: str) -> list[RaidItem]:
        return await self._gateway.every(RAID_ITEMS, project_id=project_id)

    async def objectives(self, *, include_retired: bool = False) -> list[Objective]:
        return await self._gateway.every(OBJECTIVES, None, **_retired(include_retired))

    async def priorities(self, *, include_retired: bool = False) -> list[Priority]:
        return await self._gateway.every(PRIORITIES, None, **_retired(include_retired))

    async def programmes(self) -> list[Programme]:
        return await self._gateway.every(PROGRAMMES)

    async def improvement_actions(
        self, *, include_retired: bool = False
    ) -> list[ImprovementAction]:
        return await self._gateway.every(ACTIONS, None, **_retired(include_retired))

    async def improvement_summary(self, as_at: str | None = None) -> ImprovementPlanSummary:
        """Open, closed and overdue actions, today or as at a day (a quarter: as at its end)."""
        return await self._gateway.call(PLAN_SUMMARY, params=query({"as_at": as_at}))

    async def portfolio_summary(self, **params: Any) -> PortfolioSummary:
        return await self._gateway.call(PORTFOLIO, params=query(params))

    async def overdue(self) -> list[OverdueItem]:
        """Every open project's milestones and every improvement action past their due date."""
        return await self._gateway.every(OVERDUE)

    async def update_project(self, project_id: str, version: str, data: dict[str, Any]) -> Project:
        return await self._gateway.call(
            EDITABLE_PROJECT.change,
            {"project_id": project_id},
            json=data,
            headers=if_match(version),
        )

    async def kpi_statuses(self, measure_ids: set[str]) -> dict[str, KpiStatus]:
        """Each measure asked about, with its current RAG.

        Uses the kpi scorecard (each measure's current RAG); where the kpi service offers no
        scorecard, falls back to each measure's title with "no_data".
        """
        if not measure_ids:
            return {}
        statuses: dict[str, KpiStatus] = {}
        try:
            offset = 0
            while True:
                page = await self._gateway.call(SCORECARD, params={"limit": 500, "offset": offset})
                for row in page.items:
                    measure = row.measure
                    if measure.id in measure_ids:
                        statuses[measure.id] = KpiStatus(
                            title=measure.title,
                            code=measure.code,
                            rag=row.rag or "no_data",
                            period=row.label or page.period,
                        )
                offset += len(page.items)
                if offset >= page.total or not page.items:
                    break
        except ApiError as error:
            if error.status != 404:
                raise
        for measure_id in measure_ids - set(statuses):
            try:
                found = await self._gateway.call(MEASURE, {"measure_id": measure_id})
                statuses[measure_id] = KpiStatus(title=found.title, code=found.code)
            except ApiError as error:
                if error.status != 404:
                    raise
                statuses[measure_id] = KpiStatus(title="A measure that no longer exists")
        return statuses

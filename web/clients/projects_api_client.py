"""The projects service's API as the web pages use it (through the gateway, like any client).

Also reads what the objectives page needs of the kpi service: each measure's current RAG.
"""

from decimal import Decimal
from typing import Any

from web.clients.gateway import ApiError, GatewayClient

WHAT = "projects service"
KPI = "KPI service"
API = "/projects"


def _clean(params: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in params.items() if v not in (None, "")}


def if_match(version: int | str) -> dict[str, str]:
    return {"If-Match": f'"{version}"'}


class ProjectsApiClient:
    def __init__(self, gateway: GatewayClient) -> None:
        self._gateway = gateway

    async def _get(self, path: str, *, what: str = WHAT, **params: Any) -> Any:
        return await self._gateway.get_json(path, what=what, params=_clean(params))

    async def _all(self, path: str, **params: Any) -> list[dict[str, Any]]:
        """Every item of a list endpoint (the pages show whole, council-sized lists)."""
        items: list[dict[str, Any]] = []
        while True:
            page = await self._get(path, **params, limit=500, offset=len(items))
            items.extend(page["items"])
            if len(items) >= page["total"] or not page["items"]:
                return items

    async def projects(self, **filters: Any) -> list[dict[str, Any]]:
        projects = await self._all(f"{API}/projects", **filters)
        for project in projects:
            if project.get("budget_amount") is not None:
                project["budget_amount"] = Decimal(project["budget_amount"])
        return projects

    async def project(self, project_id: str) -> dict[str, Any]:
        project: dict[str, Any] = await self._get(f"{API}/projects/{project_id}")
        if project.get("budget_amount") is not None:
            project["budget_amount"] = Decimal(project["budget_amount"])
        return project

    async def lead_teams(self) -> list[str]:
        teams: list[str] = await self._get(f"{API}/projects/lead-teams")
        return teams

    async def timeline(self, project_id: str) -> dict[str, Any]:
        timeline: dict[str, Any] = await self._get(f"{API}/projects/{project_id}/timeline")
        return timeline

    async def milestone(self, milestone_id: str) -> dict[str, Any]:
        milestone: dict[str, Any] = await self._get(f"{API}/milestones/{milestone_id}")
        return milestone

    async def highlight_reports(self, project_id: str) -> list[dict[str, Any]]:
        return await self._all(f"{API}/highlight-reports", project_id=project_id)

    async def raid_items(self, project_id: str) -> list[dict[str, Any]]:
        return await self._all(f"{API}/raid-items", project_id=project_id)

    async def objectives(self) -> list[dict[str, Any]]:
        return await self._all(f"{API}/objectives")

    async def priorities(self) -> list[dict[str, Any]]:
        return await self._all(f"{API}/priorities")

    async def programmes(self) -> list[dict[str, Any]]:
        return await self._all(f"{API}/programmes")

    async def improvement_actions(self) -> list[dict[str, Any]]:
        return await self._all(f"{API}/improvement-actions")

    async def improvement_summary(self) -> dict[str, Any]:
        summary: dict[str, Any] = await self._get(f"{API}/improvement-actions/summary")
        return summary

    async def _patch(self, path: str, version: str, data: dict[str, Any]) -> dict[str, Any]:
        response = await self._gateway.request(
            "PATCH", path, what=WHAT, json=data, headers=if_match(version)
        )
        body: dict[str, Any] = response.json()
        return body

    async def update_project(self, project_id: str, version: str, data: dict[str, Any]) -> Any:
        return await self._patch(f"{API}/projects/{project_id}", version, data)

    async def update_milestone(
        self, milestone_id: str, version: str, data: dict[str, Any]
    ) -> dict[str, Any]:
        return await self._patch(f"{API}/milestones/{milestone_id}", version, data)

    async def create_highlight_report(self, data: dict[str, Any]) -> dict[str, Any]:
        response = await self._gateway.request(
            "POST", f"{API}/highlight-reports", what=WHAT, json=data
        )
        body: dict[str, Any] = response.json()
        return body

    async def kpi_statuses(self, measure_ids: set[str]) -> dict[str, dict[str, Any]]:
        """{measure id: {"title", "code", "rag", "period"}} for the measures asked about.

        Uses the kpi scorecard (each measure's current RAG); where the kpi service offers no
        scorecard, falls back to each measure's title with "No data".
        """
        if not measure_ids:
            return {}
        statuses: dict[str, dict[str, Any]] = {}
        try:
            offset = 0
            while True:
                page = await self._get("/kpi/scorecard", what=KPI, limit=500, offset=offset)
                for row in page["items"]:
                    measure = row["measure"]
                    if measure["id"] in measure_ids:
                        statuses[measure["id"]] = {
                            "title": measure["title"],
                            "code": measure.get("code", ""),
                            "rag": row.get("rag") or "No data",
                            "period": row.get("label") or page.get("period", ""),
                        }
                offset += len(page["items"])
                if offset >= page["total"] or not page["items"]:
                    break
        except ApiError as error:
            if error.status != 404:
                raise
        for measure_id in measure_ids - set(statuses):
            try:
                measure = await self._get(f"/kpi/measures/{measure_id}", what=KPI)
            except ApiError as error:
                if error.status != 404:
                    raise
                measure = {"title": "A measure that no longer exists", "code": ""}
            statuses[measure_id] = {
                "title": measure["title"],
                "code": measure.get("code", ""),
                "rag": "No data",
                "period": "",
            }
        return statuses

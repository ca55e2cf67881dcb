"""The imports of each service: a file in, a row-by-row report out."""

import json
from typing import Any

from web.clients.gateway import NO_BODY, Endpoint, GatewayClient
from web.clients.models import ColumnMapping

# The document gives the import answers no schema, so the report is read as the JSON it is.
KPIS = Endpoint("POST", "/kpi/imports/kpis", NO_BODY, "KPI service")
ACTUALS = Endpoint("POST", "/kpi/imports/actuals", NO_BODY, "KPI service")
OBJECTIVES = Endpoint("POST", "/projects/imports/objectives", NO_BODY, "projects service")
PROJECTS = Endpoint("POST", "/projects/imports/projects", NO_BODY, "projects service")
MILESTONES = Endpoint("POST", "/projects/imports/milestones", NO_BODY, "projects service")
BUDGET_LINES = Endpoint("POST", "/finance/imports/budget-lines", NO_BODY, "finance service")
SAVINGS = Endpoint("POST", "/finance/imports/savings", NO_BODY, "finance service")
SAVINGS_ENTRIES = Endpoint("POST", "/finance/imports/savings-entries", NO_BODY, "finance service")


async def send(
    gateway: GatewayClient,
    endpoint: Endpoint[None],
    name: str,
    data: bytes,
    *,
    commit: bool,
    mapping: dict[str, str] | None = None,
    period: str = "",
) -> dict[str, Any]:
    """Preview (`commit=False`) or import a file, its columns read as `mapping` says (heading →
    field key; headings left out are matched by their wording), and of the one `period` given
    for a file with no period column; the import's report, row by row."""
    form = {"mapping": json.dumps(mapping)} if mapping else {}
    if period.strip():
        form["period"] = period.strip()
    response = await gateway.request(
        endpoint.method,
        endpoint.path,
        what=endpoint.what,
        params={"commit": str(commit).lower(), "rows": "changes"},
        files={"file": (name or "upload.csv", data, "application/octet-stream")},
        data=form or None,
    )
    report: dict[str, Any] = response.json()
    return report


def column_mapping(answer: dict[str, Any]) -> ColumnMapping | None:
    """The mapping step of an import's report, or of the 422 that refused its headings; None
    when the answer has none (an unreadable file)."""
    return ColumnMapping.model_validate(answer) if answer.get("mapping") else None

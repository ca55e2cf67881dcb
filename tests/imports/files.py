"""Shared helpers for the import tests: the council's files as they are, and uploads."""

from pathlib import Path

import httpx
from fastapi.testclient import TestClient

ROOT = Path(__file__).resolve().parents[2]
KPIS = ROOT / "services" / "kpi" / "demo_data" / "kpis.csv"
OBJECTIVES = ROOT / "services" / "projects" / "demo_data" / "objectives.csv"
PROJECTS = ROOT / "services" / "projects" / "demo_data" / "projects.csv"

KPI_COLUMNS = [
    "Measure",
    "Definition",
    "Unit",
    "Better (bigger or smaller)",
    "Frequency (monthly, quarterly)",
    "Target type (flat or cumulative)",
    "Normal level/ Target 25/26",
    "Normal level/ Target 26/27",
    "Normal level/ Target 27/28",
    "Council Plan KPI (Y/N)",
    "Data Provider",
]
"""The headings of the council's KPI table, as its KPI import reads them."""


def upload(
    api: TestClient,
    path: str,
    data: bytes,
    name: str = "table.csv",
    *,
    commit: bool = False,
    rows: str = "all",
) -> httpx.Response:
    response: httpx.Response = api.post(
        f"/api/v1{path}",
        params={"commit": str(commit).lower(), "rows": rows},
        files={"file": (name, data, "text/csv")},
    )
    return response

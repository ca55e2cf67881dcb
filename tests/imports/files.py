"""Shared helpers for the import tests: the council's files as they are, and uploads."""

from pathlib import Path
from typing import Any

import httpx
from fastapi.testclient import TestClient

from common.writing import write_csv

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


def refused(api: TestClient, path: str, data: bytes, name: str = "table.csv") -> dict[str, Any]:
    """The problem an import answers a committed file it refuses as a whole, checked to be a 422."""
    response = upload(api, path, data, name, commit=True)
    assert response.status_code == 422, response.text
    problem: dict[str, Any] = response.json()
    return problem


def refused_for_row_7(
    api: TestClient, path: str, headings: list[str], rows: list[list[str]], column: int, cell: str
) -> dict[str, Any]:
    """Writes `cell` into `column` of the sixth data row (row 7 of the spreadsheet), commits the
    rows as a CSV and gives back the problem the import refuses the whole file with."""
    rows[5][column] = cell
    return refused(api, path, write_csv(headings, rows))

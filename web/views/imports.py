"""Importing the council's own tables: choose the file and what it holds, see a preview of what
would be created, updated or left and each row's problems, then import it all (or nothing).

The file travels from the preview to the import inside the preview page's form (base64 in a
hidden field), so nothing is kept on the server between the two steps.
"""

import base64
import binascii
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse

from web.clients.gateway import ApiError, GatewayClient, gateway_client
from web.rendering import render
from web.views.dashboard import PageContext

router = APIRouter()
Gateway = Annotated[GatewayClient, Depends(gateway_client)]

KINDS: dict[str, dict[str, str]] = {
    "kpis": {
        "label": "KPIs: the service plan KPI table",
        "path": "/kpi/imports/kpis",
        "what": "KPI service",
        "next": "/kpis",
        "noun": "measure",
    },
    "objectives": {
        "label": "Objectives: the service plan objectives table",
        "path": "/projects/imports/objectives",
        "what": "projects service",
        "next": "/objectives",
        "noun": "objective",
    },
    "projects": {
        "label": "Projects: the service plan projects table (import objectives first)",
        "path": "/projects/imports/projects",
        "what": "projects service",
        "next": "/projects",
        "noun": "project",
    },
    "milestones": {
        "label": "Milestones: project milestones and their dates (import projects first)",
        "path": "/projects/imports/milestones",
        "what": "projects service",
        "next": "/projects",
        "noun": "milestone",
    },
    "budget-lines": {
        "label": "Budget lines: the budget monitoring sheet with monthly forecasts",
        "path": "/finance/imports/budget-lines",
        "what": "finance service",
        "next": "/budget",
        "noun": "budget line",
    },
    "savings": {
        "label": "Savings: the savings programme with targets per year",
        "path": "/finance/imports/savings",
        "what": "finance service",
        "next": "/savings",
        "noun": "savings line",
    },
    "savings-entries": {
        "label": "Savings returns: achieved and forecast by line and month",
        "path": "/finance/imports/savings-entries",
        "what": "finance service",
        "next": "/savings",
        "noun": "savings return",
    },
}
ACCEPT = ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _form(
    request: Request, page: dict[str, Any], kind: str = "", errors: dict[str, str] | None = None
) -> HTMLResponse:
    return render(
        request,
        "imports/index.html",
        {
            **page,
            "nav": "imports",
            "kinds": KINDS,
            "kind": kind,
            "errors": errors or {},
            "accept": ACCEPT,
        },
        status_code=422 if errors else 200,
    )


def _file_errors(error: ApiError) -> dict[str, str]:
    """The API's answer about the file itself (unreadable, missing columns) as the file's error."""
    messages = [str(e.get("message", "")) for e in error.problem.get("errors") or []]
    return {"file": " ".join(messages) or str(error.problem.get("detail", "The file was refused."))}


async def _send(
    gateway: GatewayClient, kind: str, name: str, data: bytes, *, commit: bool
) -> dict[str, Any]:
    spec = KINDS[kind]
    response = await gateway.request(
        "POST",
        spec["path"],
        what=spec["what"],
        params={"commit": str(commit).lower(), "rows": "changes"},
        files={"file": (name or "upload.csv", data, "application/octet-stream")},
    )
    report: dict[str, Any] = response.json()
    return report


@router.get("/imports", response_class=HTMLResponse)
async def imports_page(request: Request, page: PageContext) -> HTMLResponse:
    """Upload a KPI, objectives or projects table to preview its import."""
    return _form(request, page)


@router.post("/imports/preview", response_class=HTMLResponse)
async def preview(
    request: Request,
    page: PageContext,
    gateway: Gateway,
    kind: Annotated[str, Form()] = "",
    file: Annotated[UploadFile | None, File()] = None,
) -> HTMLResponse:
    """What the import would do, row by row, before anything is written."""
    errors: dict[str, str] = {}
    if kind not in KINDS:
        errors["kind"] = "Select what the file holds"
    data = await file.read() if file is not None else b""
    if not data:
        errors["file"] = "Select a CSV or Excel (.xlsx) file"
    if errors:
        return _form(request, page, kind, errors)
    name = (file.filename if file else "") or "upload.csv"
    try:
        report = await _send(gateway, kind, name, data, commit=False)
    except ApiError as error:
        return _form(request, page, kind, _file_errors(error))
    return _preview(request, page, kind, name, data, report)


def _preview(
    request: Request,
    page: dict[str, Any],
    kind: str,
    name: str,
    data: bytes,
    report: dict[str, Any],
    errors: dict[str, str] | None = None,
) -> HTMLResponse:
    return render(
        request,
        "imports/preview.html",
        {
            **page,
            "nav": "imports",
            "kind": kind,
            "spec": KINDS[kind],
            "filename": name,
            "content": base64.b64encode(data).decode(),
            "report": report,
            "errors": errors or {},
        },
        status_code=422 if errors else 200,
    )


@router.post("/imports/commit", response_class=HTMLResponse)
async def commit(
    request: Request,
    page: PageContext,
    gateway: Gateway,
    kind: Annotated[str, Form()] = "",
    filename: Annotated[str, Form()] = "",
    content: Annotated[str, Form()] = "",
) -> HTMLResponse:
    """Import every row of the previewed file, or none (the problems are shown again)."""
    try:
        data = base64.b64decode(content, validate=True)
    except (binascii.Error, ValueError):
        data = b""
    if kind not in KINDS or not data:
        return _form(request, page, kind, {"file": "Select the file again and preview it"})
    try:
        report = await _send(gateway, kind, filename, data, commit=True)
    except ApiError as error:
        if error.status == 422 and "report" in error.problem:
            count = error.problem["report"]["counts"]["error"]
            rows = "1 row has" if count == 1 else f"{count} rows have"
            return _preview(
                request,
                page,
                kind,
                filename,
                data,
                error.problem["report"],
                {"rows": f"Nothing was imported: {rows} problems to fix"},
            )
        return _form(request, page, kind, _file_errors(error))
    return render(
        request,
        "imports/done.html",
        {**page, "nav": "imports", "spec": KINDS[kind], "report": report, "filename": filename},
    )

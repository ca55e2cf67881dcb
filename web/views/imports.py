"""Importing the council's own tables: choose the file and what it holds, see a preview of what
would be created, updated or left and each row's problems, then import it all (or nothing).

The file travels from the preview to the import inside the preview page's form, so nothing is
kept on the server between the two steps: no store to share between web processes, to expire or
to secure per council and person, and the import re-checks every row whatever the form holds. It
is compressed (zlib: a CSV shrinks to a tenth, an XLSX is compressed already), base64-encoded and
cut into hidden fields of `CHUNK` characters, below the 1 MB a form field may hold. The largest
file is `Settings.max_import_file_bytes` (`MAX_IMPORT_FILE_BYTES`, 15 MB); the gateway lets import
requests be that much larger than other requests (`gateway/hardening.py`, `IMPORT_PATHS`).

With JavaScript, the upload shows its progress (a `<progress>` element fed by htmx's upload
events, with the same figure in words for screen readers) and then "Checking N rows"; without it,
the forms post as ordinary pages.
"""

import base64
import binascii
import json
import zlib
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse

from web.clients import imports_api_client as imports
from web.clients.gateway import ApiError, Endpoint, Gateway
from web.forms import unless_allowed
from web.rendering import render
from web.views.dashboard import PageContext

router = APIRouter()

PERIOD_KINDS = ("actuals", "savings-entries")
"""The imports that take one period for a whole file with no period column."""
KINDS: dict[str, dict[str, str]] = {
    "kpis": {
        "label": "KPIs: the service plan KPI table",
        "next": "/kpis",
        "noun": "measure",
    },
    "actuals": {
        "label": "KPI actuals: figures by measure and period (import the KPIs first)",
        "next": "/kpis",
        "noun": "actual",
    },
    "objectives": {
        "label": "Objectives: the service plan objectives table",
        "next": "/objectives",
        "noun": "objective",
    },
    "projects": {
        "label": "Projects: the service plan projects table (import objectives first)",
        "next": "/projects",
        "noun": "project",
    },
    "milestones": {
        "label": "Milestones: project milestones and their dates (import projects first)",
        "next": "/projects",
        "noun": "milestone",
    },
    "budget-lines": {
        "label": "Budget lines: the budget monitoring sheet with monthly forecasts",
        "next": "/budget",
        "noun": "budget line",
    },
    "savings": {
        "label": "Savings: the savings programme with targets per year",
        "next": "/savings",
        "noun": "savings line",
    },
    "savings-entries": {
        "label": "Savings returns: achieved and forecast by line and month",
        "next": "/savings",
        "noun": "savings return",
    },
}
ENDPOINTS: dict[str, Endpoint[None]] = {
    "kpis": imports.KPIS,
    "actuals": imports.ACTUALS,
    "objectives": imports.OBJECTIVES,
    "projects": imports.PROJECTS,
    "milestones": imports.MILESTONES,
    "budget-lines": imports.BUDGET_LINES,
    "savings": imports.SAVINGS,
    "savings-entries": imports.SAVINGS_ENTRIES,
}
ACCEPT = (
    ".csv,.xlsx,.ods,.docx,text/csv,"
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,"
    "application/vnd.oasis.opendocument.spreadsheet,"
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
)
CHUNK = 512 * 1024
"""Characters per hidden field: a form field may hold up to 1 MB."""


def pack(data: bytes) -> list[str]:
    """The file as the preview's hidden fields: compressed, base64 (URL-safe, so the form's
    encoding does not grow it), in chunks."""
    text = base64.urlsafe_b64encode(zlib.compress(data, 6)).decode()
    return [text[i : i + CHUNK] for i in range(0, len(text), CHUNK)] or [""]


def unpack(chunks: list[str], limit: int) -> bytes:
    """The file again, or b"" if the fields are not a file we packed or it would unpack to more
    than `limit` bytes (a small field cannot become a huge file)."""
    try:
        packed = base64.urlsafe_b64decode("".join(chunks).encode())
        inflater = zlib.decompressobj()
        data = inflater.decompress(packed, limit + 1)
    except (binascii.Error, ValueError, zlib.error):
        return b""
    return data if inflater.eof and len(data) <= limit else b""


LISTED = 1_000
"""Rows listed in a preview: every row is imported, but a page of 10,000 rows helps nobody."""


def listed(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows a preview lists: those with problems first, then those that change, `LISTED` in
    all, each group in the file's order."""
    with_problems = [r for r in rows if r.get("problems")]
    others = [r for r in rows if not r.get("problems")]
    return (with_problems + others)[:LISTED]


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.0f} MB"


def _form(
    request: Request,
    page: dict[str, Any],
    kind: str = "",
    errors: dict[str, str] | None = None,
    period: str = "",
) -> HTMLResponse:
    largest = _megabytes(request.app.state.settings.max_import_file_bytes)
    context = {"kinds": KINDS, "accept": ACCEPT, "largest": largest}
    return _page(request, page, "imports/index.html", kind, period, errors, context)


def _page(
    request: Request,
    page: dict[str, Any],
    name: str,
    kind: str,
    period: str,
    errors: dict[str, str] | None,
    context: dict[str, Any],
) -> HTMLResponse:
    """A step of an import, for the `kind` of file and the `period` chosen; with errors, 422."""
    return render(
        request,
        name,
        {**page, "nav": "imports", "kind": kind, "period": period, "errors": errors or {}}
        | context,
        status_code=422 if errors else 200,
    )


def _mapping(text: str) -> dict[str, str]:
    """The mapping the preview form carried; the API checks every heading and field in it."""
    try:
        value = json.loads(text) if text else {}
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}


def _file_errors(error: ApiError) -> dict[str, str]:
    """The API's answer about the file itself (unreadable, missing columns) as the file's error,
    and one about the period of the whole file as the period's."""
    found = error.problem.get("errors") or []
    period = [str(e.get("message", "")) for e in found if e.get("field") == "period"]
    if period:
        return {"period": " ".join(period)}
    messages = [str(e.get("message", "")) for e in found]
    return {"file": " ".join(messages) or str(error.problem.get("detail", "The file was refused."))}


def _options(kind: str, mapping: dict[str, str] | None, period: str) -> dict[str, Any]:
    """How the import is to read the file: its columns as mapped, and the one period for the
    whole file (sent only to the imports that take one)."""
    return {"mapping": mapping, "period": period if kind in PERIOD_KINDS else ""}


@router.get("/imports", response_class=HTMLResponse)
async def imports_page(request: Request, page: PageContext) -> HTMLResponse:
    """Upload a KPI, objectives or projects table to preview its import."""
    if refused := unless_allowed(request, page, "import spreadsheets", "imports"):
        return refused
    return _form(request, page)


@router.post("/imports/preview", response_class=HTMLResponse)
async def preview(
    request: Request,
    page: PageContext,
    gateway: Gateway,
    kind: Annotated[str, Form()] = "",
    file: Annotated[UploadFile | None, File()] = None,
    filename: Annotated[str, Form()] = "",
    content: Annotated[list[str] | None, Form()] = None,
    heading: Annotated[list[str] | None, Form()] = None,
    field: Annotated[list[str] | None, Form()] = None,
    period: Annotated[str, Form()] = "",
) -> HTMLResponse:
    """What the import would do, row by row, before anything is written; after the mapping
    step, the same file (`content`) again with the columns as the person chose them."""
    errors: dict[str, str] = {}
    if kind not in KINDS:
        errors["kind"] = "Select what the file holds"
    largest = request.app.state.settings.max_import_file_bytes
    data = await file.read(largest + 1) if file is not None else b""
    if not data and content:
        data = unpack(content, largest)
    mapping = dict(zip(heading or [], field or [], strict=False))
    if not data:
        errors["file"] = "Select a CSV or Excel (.xlsx) file"
    elif len(data) > largest:
        errors["file"] = f"The file must be smaller than {_megabytes(largest)}"
    if errors:
        return _form(request, page, kind, errors, period)
    name = (file.filename if file else "") or filename or "upload.csv"
    try:
        report = await imports.send(
            gateway, ENDPOINTS[kind], name, data, commit=False, **_options(kind, mapping, period)
        )
    except ApiError as error:
        if error.status == 422 and imports.column_mapping(error.problem):
            # The headings did not name what the import needs: the mapping step, to fix that.
            return _preview(
                request, page, kind, name, data, error.problem, _file_errors(error), mapping, period
            )
        return _form(request, page, kind, _file_errors(error), period)
    return _preview(request, page, kind, name, data, report, mapping=mapping, period=period)


def _preview(
    request: Request,
    page: dict[str, Any],
    kind: str,
    name: str,
    data: bytes,
    report: dict[str, Any],
    errors: dict[str, str] | None = None,
    mapping: dict[str, str] | None = None,
    period: str = "",
) -> HTMLResponse:
    context = {
        "spec": KINDS[kind],
        "filename": name,
        "content": pack(data),
        "report": report,
        "column_mapping": imports.column_mapping(report),
        "rows": listed(report.get("rows") or []),
        "mapping_json": json.dumps(mapping or {}),
    }
    return _page(request, page, "imports/preview.html", kind, period, errors, context)


@router.post("/imports/commit", response_class=HTMLResponse)
async def commit(
    request: Request,
    page: PageContext,
    gateway: Gateway,
    kind: Annotated[str, Form()] = "",
    filename: Annotated[str, Form()] = "",
    content: Annotated[list[str] | None, Form()] = None,
    mapping: Annotated[str, Form()] = "",
    period: Annotated[str, Form()] = "",
) -> HTMLResponse:
    """Import every row of the previewed file, or none (the problems are shown again), with the
    columns as the mapping step left them and the period given for the file."""
    data = unpack(content or [], request.app.state.settings.max_import_file_bytes)
    if kind not in KINDS or not data:
        return _form(request, page, kind, {"file": "Select the file again and preview it"})
    try:
        chosen = _mapping(mapping)
        report = await imports.send(
            gateway, ENDPOINTS[kind], filename, data, commit=True, **_options(kind, chosen, period)
        )
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
                chosen,
                period,
            )
        return _form(request, page, kind, _file_errors(error), period)
    return render(
        request,
        "imports/done.html",
        {**page, "nav": "imports", "spec": KINDS[kind], "report": report, "filename": filename},
    )

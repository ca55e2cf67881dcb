"""The admin pages of deadlines and reminders: the council's due dates, period close and
reminder settings, and when each reminder was sent and to whom."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from web.clients.gateway import ApiError, Gateway
from web.clients.tasks_api_client import TasksApiClient
from web.rendering import render
from web.views.admin import Admin, _errors
from web.views.dashboard import PageContext

router = APIRouter(prefix="/admin")


@router.get("/reminders", response_class=HTMLResponse, dependencies=[Admin])
async def reminders_sent(request: Request, page: PageContext, gateway: Gateway) -> HTMLResponse:
    """The latest reminders sent (or, with no SMTP host, logged), newest first."""
    sent = await TasksApiClient(gateway).reminders_sent()
    return render(
        request,
        "admin/reminders.html",
        {**page, "nav": "admin", "title": "Reminders sent", "sent": sent},
    )


NUMBERS = (
    "monthly_figures_working_days",
    "quarterly_figures_working_days",
    "savings_return_working_day",
    "close_working_days",
    "reminder_lead_days",
)


@router.get("/deadlines", response_class=HTMLResponse, dependencies=[Admin])
async def deadlines(request: Request, page: PageContext, gateway: Gateway) -> HTMLResponse:
    """The council's deadlines and reminders, in one form."""
    current = await TasksApiClient(gateway).deadlines()
    values = {k: "" if v is None else str(v) for k, v in current.deadlines.model_dump().items()}
    return _deadlines_page(request, page, values | {"version": str(current.version)}, {})


def _deadlines_page(
    request: Request,
    page: dict[str, object],
    values: dict[str, str],
    errors: dict[str, str],
    status_code: int = 200,
) -> HTMLResponse:
    return render(
        request,
        "admin/deadlines.html",
        {
            **page,
            "nav": "admin",
            "title": "Deadlines and reminders",
            "values": values,
            "errors": errors,
        },
        status_code=status_code,
    )


@router.post("/deadlines", response_class=HTMLResponse, dependencies=[Admin])
async def change_deadlines(request: Request, page: PageContext, gateway: Gateway) -> Response:
    form = await request.form()
    values = {name: str(form.get(name, "")).strip() for name in NUMBERS}
    values["reminders_enabled"] = "True" if form.get("reminders_enabled") else "False"
    values["version"] = str(form.get("version", ""))
    # Blank close: periods never close. The API checks every number and names each wrong one.
    change: dict[str, object] = {k: v or None for k, v in values.items() if k in NUMBERS}
    change["reminders_enabled"] = values["reminders_enabled"] == "True"
    try:
        await TasksApiClient(gateway).change_deadlines(change, values["version"])
    except ApiError as error:
        errors = {k.removeprefix("deadlines."): v for k, v in _errors(error).items()}
        return _deadlines_page(request, page, values, errors, status_code=422)
    return RedirectResponse("/admin", status_code=303)

"""The admin page of reminders: when each was sent, and to whom."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from web.clients.gateway import GatewayClient, gateway_client
from web.clients.tasks_api_client import TasksApiClient
from web.rendering import render
from web.views.admin import Admin
from web.views.dashboard import PageContext

router = APIRouter(prefix="/admin")
Gateway = Annotated[GatewayClient, Depends(gateway_client)]


@router.get("/reminders", response_class=HTMLResponse, dependencies=[Admin])
async def reminders_sent(request: Request, page: PageContext, gateway: Gateway) -> HTMLResponse:
    """The latest reminders sent (or, with no SMTP host, logged), newest first."""
    sent = await TasksApiClient(gateway).reminders_sent()
    return render(
        request,
        "admin/reminders.html",
        {**page, "nav": "admin", "title": "Reminders sent", "sent": sent},
    )

"""Pages whose full versions arrive with their services; each says plainly what is coming."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from web.rendering import render
from web.views.dashboard import PageContext

router = APIRouter()

_PAGES = {
    "kpis": "KPIs",
    "projects": "Projects",
    "savings": "Savings",
    "budget": "Budget",
}


def _page(nav: str, title: str) -> None:
    async def view(request: Request, page: PageContext) -> HTMLResponse:
        return render(request, "placeholder.html", {**page, "nav": nav, "title": title})

    router.add_api_route(f"/{nav}", view, methods=["GET"], response_class=HTMLResponse)


for _nav, _title in _PAGES.items():
    _page(_nav, _title)

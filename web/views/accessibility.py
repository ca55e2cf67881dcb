"""The accessibility statement, in the form the Public Sector Bodies (Websites and Mobile
Applications) (No. 2) Accessibility Regulations 2018 ask for. Open to everyone, signed in or not.

What it says about testing must stay true to the tests the project runs: axe-core on every page
(tests/browser/test_accessibility.py), keyboard-only journeys (tests/browser/test_journeys.py)
and the charts at 320 and 1,920 px (tests/browser/test_charts.py)."""

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from web.rendering import render

router = APIRouter()

PREPARED = date(2026, 12, 1)
"""When the statement was prepared; change it with the statement, after the checks it names."""
REVIEWED = date(2026, 12, 1)


@router.get("/accessibility", response_class=HTMLResponse)
async def accessibility_statement(request: Request) -> HTMLResponse:
    """Accessibility statement for ASC Tracker."""
    return render(
        request,
        "accessibility.html",
        {
            "me": None,
            "title": "Accessibility statement for ASC Tracker",
            "prepared": PREPARED,
            "reviewed": REVIEWED,
        },
    )

"""Helpers the page tests share: the plan's question pages, a page that must show some words, and
a form posted as a browser posts it (the checks themselves are `tests.helpers`)."""

from typing import Any

from fastapi.testclient import TestClient

from tests.helpers import assert_shows, page_text

NEW_PAGES = [
    "/projects/new",
    "/milestones/new?project_id={project}",
    "/raid-items/new?project_id={project}",
    "/highlight-reports/new?project_id={project}",
    "/objectives/new",
    "/priorities/new",
    "/improvement-plan/actions/new",
    "/savings/new",
    "/kpis/new",
    "/kpi-targets/new?measure_id={measure}",
]
"""The question page of every record the plan adds, `{project}` and `{measure}` standing for the
id of the record it is added to."""


def shown(client: TestClient, path: str, *phrases: str) -> str:
    """The page at `path`, checked to answer 200 and to show every phrase."""
    text = page_text(client, path)
    assert_shows(text, *phrases)
    return text


def submitted(client: TestClient, path: str, data: dict[str, Any]) -> str:
    """Posts a form as a browser does and returns where its 303 sends the browser next."""
    response = client.post(path, data=data, follow_redirects=False)
    assert response.status_code == 303, response.text
    location: str = response.headers["location"]
    return location

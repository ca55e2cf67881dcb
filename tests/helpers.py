"""Small helpers the API and page tests of every area share: reading a created record, a 422's
field errors, a page (its HTML, its words, which phrases it shows or hides), the plan's question
pages, a form posted as a browser posts it, a download, and a service that is down."""

import re
from datetime import date
from typing import Any

import httpx
from fastapi.testclient import TestClient

from common.spreadsheets import Table, read_table


def created(response: Any) -> dict[str, Any]:
    """The JSON of a 201 Created response."""
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def field_errors(response: Any) -> dict[str, str]:
    """The field-level errors of a problem+json 422, by field."""
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    return {e["field"]: e["message"] for e in response.json()["errors"]}


def text_of(html: str) -> str:
    """A page's words with its tags taken out and its white space folded, as a reader sees them."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def download(api: TestClient, path: str, name: str, **params: str) -> Table:
    """The table a page's `format=csv|xlsx` download gives, checking its type and file name."""
    response = api.get(path, params=params)
    assert response.status_code == 200, response.text
    kind = params["format"]
    assert response.headers["content-type"].startswith(
        "text/csv" if kind == "csv" else "application/vnd.openxmlformats"
    )
    assert (
        f'filename="{name}-{date.today().isoformat()}.{kind}"'
        in (response.headers["content-disposition"])
    )
    return read_table(response.content, f"export.{kind}")


def listed(api: TestClient, path: str, **params: Any) -> list[dict[str, Any]]:
    """The items of one page of a list the API answers."""
    response = api.get(path, params=params)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def assert_shows(text: str, *phrases: str) -> None:
    """Every phrase stands in `text`; a failure names every missing one at once."""
    missing = [phrase for phrase in phrases if phrase not in text]
    assert not missing, f"missing: {missing}"


def assert_hides(text: str, *phrases: str) -> None:
    """No phrase stands in `text`; a failure names every one it found."""
    found = [phrase for phrase in phrases if phrase in text]
    assert not found, f"should not show: {found}"


def page_text(
    client: TestClient,
    path: str,
    params: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> str:
    """The HTML of a page that answers 200 OK, asked for as `client.get` would be."""
    response = client.get(path, params=params, headers=headers)
    assert response.status_code == 200, response.text
    html: str = response.text
    return html


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


class Down(httpx.AsyncBaseTransport):
    """A service that refuses every connection, for `build_system(transports=…)`."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

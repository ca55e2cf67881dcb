"""A platform administrator reads no council's records: on a deployment where council A has one
record of every kind, every operation of the merged OpenAPI document outside the platform's own
API (services, administration, the caller's council), with A's ids in its path, and every page
of the web app, is refused to them; nothing of A shows and nothing of either council is written.
"""

import uuid
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from common.identity import NO_COUNCIL, PLATFORM_REFUSAL, Caller, is_platform_data
from common.settings import Settings
from gateway.guard import service_of
from stack.testing.plugin import build_system
from tests.identity.two_councils import WEB_RECORDS, Councils, path_parameters, two_councils
from web.views.platform import THEIRS

PUBLIC = ("/api/v1/sessions", "/api/v1/password-resets/")
"""Signing in and using a reset link: for anyone, and about no council's records."""
OWN_ACCOUNT = ("/api/v1/me/",)
"""Their own password and sessions, which are theirs (no council's)."""


@pytest.fixture(scope="module")
def world(engine: Engine, settings: Settings) -> Iterator[tuple[Councils, TestClient]]:
    with two_councils(engine, settings) as councils:
        caller = Caller(
            org_id=NO_COUNCIL,
            user_id="platform-admin",
            display_name="Platform",
            client="test",
            platform_admin=True,
        )
        system = build_system(settings, councils.database, caller=caller)
        with system.client() as client:
            yield councils, client


def _url(template: str, ids: dict[str, str]) -> str:
    """The path with each parameter one of A's records (by the collection before it), or a
    month for the monthly records."""
    parts = template.split("/")
    for index, part in enumerate(parts):
        if part.startswith("{"):
            collection = parts[index - 1]
            parts[index] = ids.get(collection, "2025-04" if "month" in part else str(uuid.uuid4()))
    return "/".join(parts)


def test_every_operation_outside_the_platform_api_is_refused_and_shows_nothing(
    world: tuple[Councils, TestClient],
) -> None:
    councils, platform = world
    document = councils.a.get("/api/v1/openapi.json").json()
    before = councils.fingerprint(councils.a_org), councils.fingerprint(councils.b_org)
    wrong: list[str] = []
    tried = 0
    for path, item in document["paths"].items():
        if path.startswith(("/api/v1/platform/", *PUBLIC, *OWN_ACCOUNT)):
            continue
        for method in item:
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            if is_platform_data(method, path):
                continue  # published tables: platform data, no council's (test_library_api.py)
            url = _url(path, councils.a_ids)
            response = platform.request(method.upper(), url, json={}, headers={"If-Match": '"1"'})
            tried += 1
            expected = PLATFORM_REFUSAL if service_of(path) else None
            detail = response.json().get("detail") if response.content else None
            if response.status_code != 403 or (expected and detail != expected):
                wrong.append(f"{method.upper()} {path} -> {response.status_code} {detail}")
            sent = frozenset(v for v in councils.a_ids.values() if v in url)  # in `instance`
            if shown := councils.leaks(response.text, allowed=sent):
                wrong.append(f"{method.upper()} {path} shows {shown}")
    assert tried >= 100
    assert wrong == [], "\n".join(wrong)
    after = councils.fingerprint(councils.a_org), councils.fingerprint(councils.b_org)
    assert after == before


def test_every_council_page_sends_them_to_the_platform_pages_and_shows_nothing(
    world: tuple[Councils, TestClient],
) -> None:
    councils, platform = world
    pages = [
        (method.upper(), path)
        for path, item in councils.web.openapi()["paths"].items()
        for method in item
        if method in {"get", "post"} and not path.startswith(THEIRS)
    ]
    assert len(pages) >= 30, pages
    wrong: list[str] = []
    for method, template in pages:
        url = template
        for name in path_parameters(template):
            url = url.replace(f"{{{name}}}", councils.a_ids.get(WEB_RECORDS.get(name, ""), "x"))
        response = platform.request(method, url, follow_redirects=False)
        moved = response.status_code == 303 and response.headers["location"] == "/platform"
        sent = frozenset(v for v in councils.a_ids.values() if v in url)
        if not moved or councils.leaks(response.text, allowed=sent):
            wrong.append(f"{method} {template} -> {response.status_code}")
    assert wrong == [], "\n".join(wrong)

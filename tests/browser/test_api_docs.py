"""`/api/docs` works with the network off: Swagger UI comes from the product's own static
files, renders the merged document, its Authorize button takes an API key, and axe finds
nothing serious."""

import pytest
from playwright.sync_api import Page, Route, expect

from stack.testing.processes import RunningSystem
from tests.browser.conftest import axe_violations


@pytest.fixture
def offline(page: Page, live: RunningSystem) -> list[str]:
    """Refuse every request that leaves the product; yield the addresses that were tried."""
    outside: list[str] = []
    own = live.url()

    def only_ours(route: Route) -> None:
        if route.request.url.startswith(own):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_ours)
    return outside


def test_api_docs_render_offline_with_no_serious_axe_issue(
    page: Page, live: RunningSystem, offline: list[str]
) -> None:
    with page.expect_response(lambda r: r.url.endswith("/api/v1/openapi.json")) as loaded:
        page.goto(live.url() + "/api/docs")
    document = loaded.value.json()
    expect(page.locator(".opblock").first).to_be_visible(timeout=30_000)
    page.wait_for_load_state("networkidle")
    assert offline == []
    assert page.csp_violations == []  # type: ignore[attr-defined]
    assert axe_violations(page) == []
    under_each_tag = sum(
        len(operation.get("tags") or ["default"])
        for item in document["paths"].values()
        for method, operation in item.items()
        if method in METHODS
    )
    assert len(_operations_shown(page)) == under_each_tag  # every operation, under each tag


METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})


def _operations_shown(page: Page) -> set[str]:
    """Every operation Swagger UI draws, scrolling from top to bottom: it draws only the tags
    near the window, so they are gathered as they come into view."""
    shown: set[str] = set()
    page.evaluate("window.scrollTo(0, 0)")
    while True:
        shown |= set(page.eval_on_selector_all(".opblock", "all => all.map(o => o.id)"))
        before = page.evaluate("window.scrollY")
        page.evaluate("window.scrollBy(0, window.innerHeight / 2)")
        page.wait_for_timeout(100)
        if page.evaluate("window.scrollY") == before:
            return shown


def test_the_authorize_button_takes_an_api_key(
    page: Page, live: RunningSystem, offline: list[str]
) -> None:
    page.goto(live.url() + "/api/docs")
    page.get_by_role("button", name="Authorize").first.click()
    dialog = page.locator(".dialog-ux")
    expect(dialog.get_by_text("ApiKey", exact=True)).to_be_visible()
    dialog.locator("input").first.fill("an-api-key")
    dialog.locator("button.authorize").first.click()
    expect(dialog.locator("button", has_text="Logout").first).to_be_visible()
    assert offline == []

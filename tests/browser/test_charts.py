"""Charts in a real browser: at any width from 320 to 1,920 CSS px nothing a chart draws falls
outside its SVG (no label cut off at the left, no Gantt bar cut off at the right)."""

import re

import pytest
from playwright.sync_api import Page

from stack.testing.processes import RunningSystem

# Every kind of chart: a measure's line chart, a savings line's money chart, a project's
# Gantt, and the quarterly report's bar charts.
CHART_PAGES = {
    "measure": ("/kpis", r"^/kpis/[0-9a-f-]{36}$"),
    "savings line": ("/savings", r"^/savings/[0-9a-f-]{36}\b"),
    "project": ("/projects", r"^/projects/[0-9a-f-]{36}$"),
    "quarterly report": ("/documents/quarterly-report", None),
}

# Each drawn element's box in SVG units, against the SVG's own viewBox.
OUTSIDE = """
() => [...document.querySelectorAll('svg.app-chart')].flatMap(svg => {
  const view = svg.viewBox.baseVal;
  return [...svg.querySelectorAll('text, rect, path, circle, line, polyline')].flatMap(el => {
    const box = el.getBBox();
    const out = box.x < view.x - 0.5 || box.y < view.y - 0.5
      || box.x + box.width > view.x + view.width + 0.5
      || box.y + box.height > view.y + view.height + 0.5;
    return out ? [`${svg.querySelector('title').textContent}: <${el.tagName}> `
      + `${(el.textContent || '').slice(0, 30)} at ${Math.round(box.x)},${Math.round(box.y)} `
      + `${Math.round(box.width)}x${Math.round(box.height)} outside ${view.width}x${view.height}`]
      : [];
  });
})
"""


def _url(page: Page, live: RunningSystem, path: str, pattern: str | None) -> str:
    if pattern is None:
        return live.url() + path
    page.goto(live.url() + path)
    hrefs: list[str] = page.eval_on_selector_all(
        "main a[href]", "links => links.map(a => a.getAttribute('href'))"
    )
    found = [h for h in hrefs if re.search(pattern, h)]
    assert found, f"no link like {pattern} on {path}"
    return live.url() + found[0]


@pytest.mark.parametrize("width", [320, 1920])
@pytest.mark.parametrize("name", list(CHART_PAGES))
def test_nothing_a_chart_draws_is_cut_off(
    admin: Page, live: RunningSystem, name: str, width: int
) -> None:
    admin.set_viewport_size({"width": 1280, "height": 900})
    url = _url(admin, live, *CHART_PAGES[name])
    admin.set_viewport_size({"width": width, "height": 900})
    response = admin.goto(url)
    assert response is not None
    assert response.status == 200
    admin.wait_for_load_state("networkidle")
    assert admin.locator("svg.app-chart").count() > 0, f"no chart on the {name} page"
    assert admin.evaluate(OUTSIDE) == []
    page_scrolls = "() => document.documentElement.scrollWidth > window.innerWidth + 1"
    assert not admin.evaluate(page_scrolls)

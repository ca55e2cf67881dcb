"""The web shell: a styled page with the council's name, navigation and its own error pages."""

from fastapi.testclient import TestClient


def test_dashboard_is_a_styled_page_with_the_council_and_navigation(api: TestClient) -> None:
    page = api.get("/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    html = page.text
    assert "/static/vendor/govuk-frontend.min.css" in html
    assert "Demo Council" in html
    for label in ("Dashboard", "KPIs", "Projects", "Savings", "Budget"):
        assert f">{label}<" in html or f">{label}</strong>" in html
    assert 'aria-current="page"' in html


def test_unknown_page_is_the_styled_404(api: TestClient) -> None:
    page = api.get("/no/such/page")
    assert page.status_code == 404
    assert "Page not found" in page.text
    assert "govuk-header" in page.text


def test_static_assets_are_served_through_the_gateway(api: TestClient) -> None:
    css = api.get("/static/vendor/govuk-frontend.min.css")
    assert css.status_code == 200
    assert api.get("/static/vendor/htmx.min.js").status_code == 200
    assert api.get("/static/app.js").status_code == 200


def test_me_names_the_caller_and_their_council(api: TestClient) -> None:
    me = api.get("/api/v1/me").json()
    assert me["organisation"]["name"] == "Demo Council"
    assert me["roles"] == ["admin"]


def test_dashboard_shows_the_position_of_each_area_in_words(api: TestClient) -> None:
    api.post("/api/v1/kpi/measures", json={"code": "D1", "title": "Dashboard measure"})
    html = api.get("/").text
    for heading in ("KPIs", "Projects", "Savings", "Budget"):
        assert f">{heading}</a></h2>" in html
    assert "No target" in html  # RAG in words, not colour alone
    assert "Unavailable" not in html

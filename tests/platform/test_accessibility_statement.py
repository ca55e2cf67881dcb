"""The accessibility statement: linked from every page's footer, open without signing in, and
in the parts the Public Sector Bodies Accessibility Regulations 2018 ask for."""

import pytest
from fastapi.testclient import TestClient


@pytest.mark.parametrize("path", ["/", "/kpis", "/documents/quarterly-report", "/sign-in"])
def test_every_footer_links_to_the_accessibility_statement(api: TestClient, path: str) -> None:
    html = api.get(path).text
    footer = html[html.index('<footer class="govuk-footer">') :]
    assert (
        '<a class="govuk-footer__link" href="/accessibility">Accessibility statement</a>' in footer
    )


def test_the_statement_has_every_part_the_regulations_ask_for(api: TestClient) -> None:
    page = api.get("/accessibility")
    assert page.status_code == 200
    html = page.text
    for part in (
        "Web Content Accessibility Guidelines version 2.2",  # the standard
        "AA standard",
        "How accessible this service is",  # what isn't accessible, and why
        "in a different format",  # how to ask for another format
        "Reporting accessibility problems with this service",  # how to report a problem
        "Equality and Human Rights Commission (EHRC)",  # the enforcement procedure
        "Equality Commission for Northern Ireland (ECNI)",
        "How we tested this service",  # how it was tested
        "axe-core",
        "keyboard alone",
        "This statement was prepared on 1 December 2026",  # and when
    ):
        assert part in html, part

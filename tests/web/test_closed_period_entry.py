"""The KPI entry form for a closed period: an approver gives a reason in the form (the API
wants one), the field shows only where it applies, and its error sits beside it with what was
typed kept; a data provider is told the period is locked."""

import uuid
from collections.abc import Callable

from fastapi.testclient import TestClient

from common.deadlines import Deadlines
from common.identity import Caller, Role
from common.testing.plugin import make_caller
from tests.kpi.factories import API, make_measure

TEAM = "Reablement Team"
CLOSED = "2025-05"
"""Long closed once the council closes periods as soon as figures are due."""
CLOSING = Deadlines(close_working_days=0)
REASON_LABEL = "Reason for changing a figure of a closed period"


def person(org_id: uuid.UUID, role: Role, *, closing: bool = True) -> Caller:
    caller = make_caller(org_id, role, team=TEAM, user=role.value)
    return caller.model_copy(update={"deadlines": CLOSING}) if closing else caller


def form(measure: dict[str, str], **extra: str) -> dict[str, str]:
    prefix = f"m-{measure['id']}"
    return {
        "period": CLOSED,
        "provider": TEAM,
        "measure": measure["id"],
        f"{prefix}-period": CLOSED,
        f"{prefix}-value": "41",
        "action": "draft",
        **{f"{prefix}-{k}": v for k, v in extra.items()},
    }


def test_an_approver_is_asked_for_a_reason_only_for_a_closed_period(
    api_as: Callable[[Caller], TestClient], demo_org: uuid.UUID
) -> None:
    approver = api_as(person(demo_org, Role.PROGRAMME_OFFICE))
    make_measure(approver, code="R1", data_provider=TEAM)
    page = approver.get("/kpis/entry", params={"period": CLOSED, "provider": TEAM}).text
    assert REASON_LABEL in page
    never_closing = api_as(person(demo_org, Role.PROGRAMME_OFFICE, closing=False))
    page = never_closing.get("/kpis/entry", params={"period": CLOSED, "provider": TEAM}).text
    assert REASON_LABEL not in page
    assert "has closed" not in page


def test_without_a_reason_the_error_is_beside_the_field_and_the_figure_is_kept(
    api_as: Callable[[Caller], TestClient], demo_org: uuid.UUID
) -> None:
    approver = api_as(person(demo_org, Role.PROGRAMME_OFFICE))
    measure = make_measure(approver, code="R1", data_provider=TEAM)
    field = f"m-{measure['id']}-reason"
    refused = approver.post("/kpis/entry", data=form(measure), follow_redirects=False)
    assert refused.status_code == 422
    assert f'href="#{field}"' in refused.text  # the error summary links to the field
    assert f'id="{field}-error"' in refused.text
    assert "give a reason for changing a figure after it closed" in refused.text
    assert 'value="41"' in refused.text
    assert approver.get(f"{API}/actuals").json()["total"] == 0
    saved = approver.post(
        "/kpis/entry", data=form(measure, reason="Found in the audit"), follow_redirects=False
    )
    assert saved.status_code == 303, saved.text
    actual = approver.get(f"{API}/actuals").json()["items"][0]
    revisions = approver.get(f"{API}/actuals/{actual['id']}/revisions").json()["items"]
    assert [r["reason"] for r in revisions] == ["Found in the audit"]


def test_a_reason_typed_is_kept_when_another_field_is_wrong(
    api_as: Callable[[Caller], TestClient], demo_org: uuid.UUID
) -> None:
    approver = api_as(person(demo_org, Role.PROGRAMME_OFFICE))
    measure = make_measure(approver, code="R1", data_provider=TEAM)
    data = form(measure, reason="Found in the audit") | {f"m-{measure['id']}-value": "forty"}
    refused = approver.post("/kpis/entry", data=data, follow_redirects=False)
    assert refused.status_code == 422
    assert ">Found in the audit</textarea>" in refused.text


def test_a_data_provider_is_told_the_period_is_locked_and_asked_for_no_reason(
    api: TestClient, api_as: Callable[[Caller], TestClient], demo_org: uuid.UUID
) -> None:
    make_measure(api, code="R1", data_provider=TEAM)
    provider = api_as(person(demo_org, Role.DATA_PROVIDER))
    page = provider.get("/kpis/entry", params={"period": CLOSED, "provider": TEAM}).text
    assert REASON_LABEL not in page
    assert "May 2025 has closed, so its figure is locked" in page

"""Period close: once a period closes, its figures are locked; an approver may still change one,
giving a reason, and both the role and the reason are in the audit trail."""

import uuid
from collections.abc import Callable

from fastapi.testclient import TestClient

from common.deadlines import Deadlines
from common.identity import Caller, Role
from common.testing.plugin import make_caller
from tests.kpi.factories import API, make_measure

TEAM = "Reablement Team"
CLOSED = "2025-05"
"""Long closed: figures due ten working days after May 2025, locked the day after that."""
CLOSING = Deadlines(close_working_days=0)


def of_council(caller: Caller) -> Caller:
    return caller.model_copy(update={"deadlines": CLOSING})


def test_a_data_provider_cannot_enter_a_figure_for_a_closed_period(
    api: TestClient, api_as: Callable[[Caller], TestClient], demo_org: uuid.UUID
) -> None:
    measure = make_measure(api, code="R1", data_provider=TEAM)
    provider = api_as(of_council(make_caller(demo_org, Role.DATA_PROVIDER, team=TEAM)))
    body = {"measure_id": measure["id"], "period": CLOSED, "value": "40", "reason": "Late"}
    refused = provider.post(f"{API}/actuals", json=body)
    assert refused.status_code == 403
    assert refused.json()["detail"] == (
        "May 2025 closed on 13 June 2025, so its figures are locked. Ask an approver (the "
        "programme office or a service lead) to change this figure."
    )


def test_an_approver_changes_a_closed_periods_figure_only_with_a_reason_kept_in_the_audit(
    api_as: Callable[[Caller], TestClient], demo_org: uuid.UUID
) -> None:
    approver = api_as(of_council(make_caller(demo_org, Role.PROGRAMME_OFFICE, user="approver")))
    measure = make_measure(approver, code="R1", data_provider=TEAM)
    body = {"measure_id": measure["id"], "period": CLOSED, "value": "40"}
    no_reason = approver.post(f"{API}/actuals", json=body)
    assert no_reason.status_code == 422
    assert no_reason.json()["errors"] == [
        {
            "field": "reason",
            "message": "May 2025 closed on 13 June 2025: give a reason for changing a figure "
            "after it closed",
        }
    ]
    created = approver.post(
        f"{API}/actuals", json=body | {"reason": "Figure found in the care records audit"}
    )
    assert created.status_code == 201, created.text
    actual = created.json()
    corrected = approver.patch(
        f"{API}/actuals/{actual['id']}",
        json={"value": "41", "reason": "Two starts were counted twice"},
        headers={"If-Match": created.headers["ETag"]},
    )
    assert corrected.status_code == 200, corrected.text
    revisions = approver.get(f"{API}/actuals/{actual['id']}/revisions").json()["items"]
    assert [(r["action"], r["reason"], r["closed_period_role"]) for r in revisions] == [
        ("created", "Figure found in the care records audit", "programme_office"),
        ("corrected", "Two starts were counted twice", "programme_office"),
    ]
    audit = approver.get(f"{API}/audit-events", params={"entity": "actual_revisions"}).json()
    recorded = [e["after"] for e in audit["items"] if e["action"] == "create"]
    assert {(a["reason"], a["closed_period_role"], a["changed_by"]) for a in recorded} == {
        ("Figure found in the care records audit", "programme_office", "approver"),
        ("Two starts were counted twice", "programme_office", "approver"),
    }


def test_an_open_period_needs_no_reason(
    api: TestClient, api_as: Callable[[Caller], TestClient], demo_org: uuid.UUID
) -> None:
    measure = make_measure(api, code="R1", data_provider=TEAM)
    provider = api_as(make_caller(demo_org, Role.DATA_PROVIDER, team=TEAM))  # never closes
    body = {"measure_id": measure["id"], "period": CLOSED, "value": "40"}
    assert provider.post(f"{API}/actuals", json=body).status_code == 201

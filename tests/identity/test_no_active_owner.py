"""`GET /api/v1/no-active-owner`: the measures and savings lines whose team has nobody who can
sign in, or that name no team, so that a director sees what nobody answers for."""

import uuid
from collections.abc import Callable
from datetime import date

from fastapi.testclient import TestClient

from common.db import Database
from common.identity import NO_COUNCIL, Caller, Role
from common.periods import Period
from common.testing.plugin import make_caller
from gateway.models import User
from tests.finance.factories import make_savings_line
from tests.identity.conftest import add_user
from tests.kpi.factories import make_actual, make_measure

LAST = Period.month_of(date.today()).previous()


def test_only_what_no_active_person_owns_is_listed_with_why(
    api: TestClient, database: Database, demo_org: uuid.UUID, other_org: uuid.UUID
) -> None:
    add_user(database, demo_org, Role.DATA_PROVIDER, team="Reablement Team")
    gone = add_user(database, demo_org, Role.DATA_PROVIDER, team="Gone Team")
    with database.session(demo_org) as session:
        user = session.get(User, gone.id)
        assert user is not None
        user.disabled = True
        session.commit()
    # Another council's person in the same team does not make it active here.
    add_user(database, other_org, Role.DATA_PROVIDER, team="Elsewhere Team")
    reported = make_measure(api, code="OK", data_provider="Reablement Team")
    make_actual(api, reported, LAST.code, value="50")
    gone_measure = make_measure(api, code="GONE", title="Falls", data_provider="Gone Team")
    make_measure(api, code="NONE", title="Delays", data_provider="")
    make_measure(api, code="OLD", data_provider="Gone Team", active=False)
    make_savings_line(api, reference="S-OK", owner_team="Reablement Team")
    line = make_savings_line(api, reference="S-AWAY", title="Day care", owner_team="Elsewhere Team")
    response = api.get("/api/v1/no-active-owner")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["unavailable"] == []
    assert [(i["kind"], i["name"], i["team"], i["reason"]) for i in body["items"]] == [
        ("measure", "GONE Falls", "Gone Team", "Nobody in Gone Team can sign in"),
        ("measure", "NONE Delays", "", "No team is named as its owner"),
        (
            "savings_line",
            "S-AWAY Day care",
            "Elsewhere Team",
            "Nobody in Elsewhere Team can sign in",
        ),
    ]
    assert body["items"][0]["link"] == f"/kpis/{gone_measure['id']}"
    assert body["items"][2]["link"] == f"/savings/{line['id']}"


def test_a_platform_administrator_is_refused(
    api_as: Callable[[Caller], TestClient],
) -> None:
    admin = Caller(
        user_id="platform", display_name="Platform", org_id=NO_COUNCIL, platform_admin=True
    )
    assert api_as(admin).get("/api/v1/no-active-owner").status_code == 403


def test_any_role_of_the_council_may_read_it(
    api_as: Callable[[Caller], TestClient], demo_org: uuid.UUID
) -> None:
    viewer = api_as(make_caller(demo_org, Role.VIEWER))
    assert viewer.get("/api/v1/no-active-owner").status_code == 200


def test_a_measure_with_no_figure_for_its_last_two_periods_is_listed(
    api: TestClient, database: Database, demo_org: uuid.UUID
) -> None:
    add_user(database, demo_org, Role.DATA_PROVIDER, team="Reablement Team")
    quiet = make_measure(api, code="QUIET", title="Nobody reports", data_provider="Reablement Team")
    once = make_measure(api, code="ONCE", data_provider="Reablement Team")
    make_actual(api, once, LAST.previous().code, value="50")  # one of the two is enough
    draft = make_measure(api, code="DRAFT", title="Only a draft", data_provider="Reablement Team")
    make_actual(api, draft, LAST.code, value="50", approve=False)  # a draft is not sent
    items = api.get("/api/v1/no-active-owner").json()["items"]
    assert [(i["name"], i["reason"]) for i in items] == [
        ("DRAFT Only a draft", f"No figure for {LAST.previous().label} or {LAST.label}"),
        ("QUIET Nobody reports", f"No figure for {LAST.previous().label} or {LAST.label}"),
    ]
    assert items[1]["link"] == f"/kpis/{quiet['id']}"

"""The projects tracker and the objectives list run a fixed number of SQL statements, however
many rows they show."""

import uuid

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from common.testing.plugin import TEST_SIGNING_KEY, make_caller
from common.testing.statements import statements_for_sizes, straight_to
from stack.testing.plugin import System
from tests.projects.conftest import days, make_milestone, make_objective, make_project

# The organisation, the count, the page of projects and their milestones.
PROJECTS_TRACKER_BUDGET = 4
# The organisation, the count and the page of objectives.
OBJECTIVES_BUDGET = 3


def _projects(system: System, org: uuid.UUID) -> TestClient:
    return straight_to(system.services["projects"], make_caller(org), TEST_SIGNING_KEY)


def test_the_projects_tracker_runs_the_same_few_statements_for_5_projects_as_for_50(
    api: TestClient, system: System, demo_org: uuid.UUID, engine: Engine
) -> None:
    def add(n: int) -> None:
        project = make_project(api, name=f"Budget project {n:02d}")
        make_milestone(api, project["id"], baseline_date=days(10 + n))
        make_milestone(api, project["id"], title="Go live", baseline_date=days(100 + n))

    url = "/projects?limit=500"
    at_5, at_50 = statements_for_sizes(engine, _projects(system, demo_org), url, add)
    assert at_5 == at_50 <= PROJECTS_TRACKER_BUDGET, (at_5, at_50)


def test_the_objectives_list_runs_the_same_few_statements_for_5_objectives_as_for_50(
    api: TestClient, system: System, demo_org: uuid.UUID, engine: Engine
) -> None:
    def add(n: int) -> None:
        make_objective(api, number=900 + n)

    url = "/objectives?limit=500"
    at_5, at_50 = statements_for_sizes(engine, _projects(system, demo_org), url, add)
    assert at_5 == at_50 <= OBJECTIVES_BUDGET, (at_5, at_50)

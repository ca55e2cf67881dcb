"""Two councils on one deployment, built once for a whole test module: council A with one record
of every kind the API offers, council B with a few records of its own to link from.

Every record of A carries the word in `MARK` (in a title, name, note or commentary), so that any
answer given to B can be searched for it, and for A's ids.
"""

import json
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from sqlalchemy.engine import Connection

from common.db import Database
from common.rls import APP_ROLE, TENANT_SCHEMAS
from common.settings import Settings
from common.testing.plugin import make_caller
from common.writing import write_csv
from gateway.models import ReminderSent
from stack.testing.plugin import build_system, make_organisation

MARK = "Alderbrook"
TEAM_A = f"{MARK} Team"
"""A's one team: it provides A's figures, leads A's project and owns A's savings line, and A's
administrator belongs to it, so A's tasks show A's records."""
"""A word only council A's records carry."""

MONTH = "2025-04"
YEAR = "2025/26"
SOON = (date.today() + timedelta(days=7)).isoformat()


@dataclass
class Councils:
    """Council A (with one record of every kind) and council B, as their administrators."""

    connection: Connection
    database: Database
    a_org: uuid.UUID
    b_org: uuid.UUID
    a: TestClient
    b: TestClient
    web: FastAPI
    """The web app (B's): its routes are the pages there are."""
    a_ids: dict[str, str] = field(default_factory=dict)
    """A's records by collection, e.g. "measures" -> id; "entries" -> the month of the return."""
    b_ids: dict[str, str] = field(default_factory=dict)
    """B's own records to link from, by collection."""

    def leaks(self, body: str, *, allowed: frozenset[str] = frozenset()) -> list[str]:
        """What of A's an answer shows: the mark, or any of A's ids (but those in `allowed`)."""
        found = [MARK] if MARK.lower() in body.lower() else []
        return found + [
            f"{kind} id"
            for kind, value in self.a_ids.items()
            if _is_id(value) and value not in allowed and value in body
        ]

    def a_record_ids(self) -> list[str]:
        return [value for value in self.a_ids.values() if _is_id(value)]

    def fingerprint(self, org_id: uuid.UUID) -> dict[str, str]:
        """Every row of `org_id` in every tenant table (audit trails included), as a digest per
        table: two fingerprints are equal only if nothing of that council was written."""
        with self.database.session(org_id) as session:
            rows = session.execute(text(_fingerprint_sql(self.connection)), {"org": org_id}).all()
        return {str(name): str(digest) for name, digest in rows}

    def rows_naming(self, org_id: uuid.UUID, ids: list[str]) -> list[str]:
        """The tables where a row of `org_id` holds any of `ids` (a link, or a copy of one)."""
        with self.database.session(org_id) as session:
            return [
                str(name)
                for (name,) in session.execute(
                    text(_naming_sql(self.connection)),
                    {"org": org_id, "pattern": "|".join(map(re.escape, ids))},
                )
            ]


def _is_id(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


_TABLES: dict[int, list[tuple[str, str]]] = {}


def _tenant_tables(connection: Connection) -> list[tuple[str, str]]:
    """(schema, table) of every table with an `org_id`: the services' and the gateway's."""
    key = id(connection)
    if key not in _TABLES:
        rows = connection.execute(
            text(
                """select c.table_schema, c.table_name from information_schema.columns c
                   join information_schema.tables t
                     on t.table_schema = c.table_schema and t.table_name = c.table_name
                   where c.column_name = 'org_id' and t.table_type = 'BASE TABLE'
                     and c.table_schema = any(:schemas)
                   order by 1, 2"""
            ),
            {"schemas": [*TENANT_SCHEMAS, "identity"]},
        ).all()
        assert len(rows) >= 20, rows
        _TABLES[key] = [(str(schema), str(table)) for schema, table in rows]
    return _TABLES[key]


def _fingerprint_sql(connection: Connection) -> str:
    return " union all ".join(
        f"select '{schema}.{table}' as name, "
        f"count(*) || ':' || coalesce(md5(string_agg(t::text, '|' order by t::text)), '') "
        f'from "{schema}"."{table}" t where t.org_id = :org'
        for schema, table in _tenant_tables(connection)
    )


def _naming_sql(connection: Connection) -> str:
    return " union all ".join(
        f"(select '{schema}.{table}' as name "
        f'from "{schema}"."{table}" t where t.org_id = :org and t::text ~ :pattern limit 1)'
        for schema, table in _tenant_tables(connection)
    )


def _created(response: Any) -> dict[str, Any]:
    assert response.status_code in (200, 201), response.text
    body: dict[str, Any] = response.json()
    return body


def _post(client: TestClient, path: str, body: dict[str, Any]) -> dict[str, Any]:
    return _created(client.post(path, json=body))


@contextmanager
def two_councils(engine: Engine, settings: Settings) -> Iterator[Councils]:
    """Both councils in one transaction that is rolled back at the end."""
    quiet = settings.model_copy(
        update={"rate_limit_per_address_per_minute": 0, "rate_limit_per_key_per_minute": 0}
    )
    with engine.connect() as connection:
        transaction = connection.begin()
        connection.execute(text(f"set local role {APP_ROLE}"))
        database = Database(connection)
        a_org = make_organisation(database, name=f"{MARK} Council")
        b_org = make_organisation(database, name="Bramblewick Council")
        a_system = build_system(
            quiet, database, caller=make_caller(a_org, user="a-admin", team=TEAM_A)
        )
        b_system = build_system(
            quiet, database, caller=make_caller(b_org, user="b-admin", team="Bramblewick Team")
        )
        with a_system.client() as a, b_system.client() as b:
            councils = Councils(connection, database, a_org, b_org, a, b, b_system.web)
            councils.a_ids = _council_a(a)
            _reminder_of_a(database, a_org)
            councils.b_ids = _council_b(b)
            yield councils
        transaction.rollback()


def _reminder_of_a(database: Database, a_org: uuid.UUID) -> None:
    """A reminder sent in A (reminders are written by the reminders command, not the API)."""
    with database.session(a_org) as session:
        session.add(
            ReminderSent(
                org_id=a_org,
                user_id=uuid.uuid4(),
                email="someone@alderbrook.example",
                item="kpi:figure:reminded",
                title=f"{MARK} figure due",
                day=date.today(),
                sent_at=datetime.now(UTC),
                delivered=True,
            )
        )
        session.commit()


def _council_a(a: TestClient) -> dict[str, str]:
    """One record of every kind, made through the API by A's administrator."""
    kpi, projects, finance = "/api/v1/kpi", "/api/v1/projects", "/api/v1/finance"
    ids: dict[str, str] = {}
    measure = _post(
        a,
        f"{kpi}/measures",
        {
            "code": "ALD-1",
            "title": f"{MARK} people supported at home",
            "unit": "percent",
            "service_area": f"{MARK} Adult Social Care",
            "data_provider": TEAM_A,
        },
    )
    ids["measures"] = measure["id"]
    ids["targets"] = _post(
        a,
        f"{kpi}/targets",
        {"measure_id": measure["id"], "financial_year": YEAR, "value": "80", "note": MARK},
    )["id"]
    submitted = _post(
        a,
        f"{kpi}/actuals",
        {"measure_id": measure["id"], "period": MONTH, "value": "78", "commentary": MARK},
    )
    _created(a.post(f"{kpi}/actuals/{submitted['id']}/submit", headers={"If-Match": '"1"'}))
    ids["actuals"] = submitted["id"]
    ids["draft actuals"] = _post(
        a,
        f"{kpi}/actuals",
        {"measure_id": measure["id"], "period": "2025-05", "value": "79", "commentary": MARK},
    )["id"]
    ids["populations"] = _post(
        a,
        f"{kpi}/populations",
        {"area": MARK, "age_band": "65+", "financial_year": YEAR, "population": 1000},
    )["id"]
    ids["benchmarks"] = _post(
        a,
        f"{kpi}/benchmarks",
        {
            "measure_id": measure["id"],
            "financial_year": YEAR,
            "comparator": "national",
            "value": "75",
            "source": MARK,
        },
    )["id"]

    ids["priorities"] = _post(a, f"{projects}/priorities", {"title": f"{MARK} priority"})["id"]
    ids["objectives"] = _post(
        a,
        f"{projects}/objectives",
        {
            "number": 7,
            "statement": f"{MARK} objective",
            "priority_ids": [ids["priorities"]],
            "kpi_measure_ids": [measure["id"]],
        },
    )["id"]
    ids["programmes"] = _post(a, f"{projects}/programmes", {"name": f"{MARK} programme"})["id"]
    ids["workstreams"] = _post(
        a, f"{projects}/programmes", {"name": f"{MARK} workstream", "parent_id": ids["programmes"]}
    )["id"]
    ids["projects"] = _post(
        a,
        f"{projects}/projects",
        {
            "name": f"{MARK} reablement",
            "lead_team": TEAM_A,
            "stage": "in_delivery",
            "programme_id": ids["workstreams"],
            "objective_ids": [ids["objectives"]],
        },
    )["id"]
    ids["milestones"] = _post(
        a,
        f"{projects}/milestones",
        {"project_id": ids["projects"], "title": f"{MARK} milestone", "baseline_date": SOON},
    )["id"]
    ids["highlight-reports"] = _post(
        a,
        f"{projects}/highlight-reports",
        {"project_id": ids["projects"], "period": MONTH, "rag": "green", "summary": MARK},
    )["id"]
    ids["raid-items"] = _post(
        a,
        f"{projects}/raid-items",
        {
            "project_id": ids["projects"],
            "kind": "risk",
            "title": f"{MARK} risk",
            "likelihood": 3,
            "impact": 3,
        },
    )["id"]
    ids["improvement-actions"] = _post(
        a,
        f"{projects}/improvement-actions",
        # Past due, so that the council's overdue items show it.
        {"action": f"{MARK} action", "area": f"{MARK} area", "due_date": "2025-06-30"},
    )["id"]
    # Column mappings saved by importing A's own records again, unchanged, with a mapping.
    _import_unchanged(
        a,
        f"{kpi}/imports/actuals",
        {f"{MARK} code": "code"},
        [f"{MARK} code", "Month", "Actual", "Commentary"],
        ["ALD-1", "2025-05", "79", MARK],
    )
    ids["kpi saved-mappings"] = _saved_mapping(a, "kpi")
    _import_unchanged(
        a,
        f"{projects}/imports/objectives",
        {f"{MARK} plan": "statement"},
        ["Number", f"{MARK} plan"],
        ["7", f"{MARK} objective"],
    )
    ids["projects saved-mappings"] = _saved_mapping(a, "projects")

    ids["budget-lines"] = _post(
        a,
        f"{finance}/budget-lines",
        {
            "name": f"{MARK} learning disabilities",
            "cost_centre": "ALD100",
            "budgets": [{"financial_year": YEAR, "original_budget": "£1.2m"}],
        },
    )["id"]
    _post(
        a,
        f"{finance}/budget-lines/{ids['budget-lines']}/forecasts",
        {"month": MONTH, "forecast_outturn": "£1.3m", "commentary": MARK},
    )
    ids["forecasts"] = MONTH
    line = {
        "title": f"{MARK} supported living",
        "owner_team": TEAM_A,
        "category": "care_package_reviews",
        "status": "in_delivery",
        "project_ids": [ids["projects"]],
        "targets": [{"financial_year": YEAR, "in_year": "£376k"}],
    }
    ids["savings-lines"] = _post(a, f"{finance}/savings-lines", line | {"reference": "ALD-S1"})[
        "id"
    ]
    ids["mitigations"] = _post(
        a,
        f"{finance}/savings-lines",
        line | {"reference": "ALD-S2", "mitigates_line_id": ids["savings-lines"]},
    )["id"]
    _post(
        a,
        f"{finance}/savings-lines/{ids['savings-lines']}/entries",
        {"month": MONTH, "achieved_to_date": "£10k", "forecast_for_year": "£300k", "note": MARK},
    )
    ids["entries"] = MONTH
    table = f"{MARK} line,Budget {YEAR}\n{MARK} day care,100\n{MARK} transport,200\nTotal,400\n"
    imported = a.post(
        f"{finance}/imports/budget-lines",
        params={"commit": "true"},
        files={"file": (f"{MARK} budget.csv", table.encode())},
        data={"mapping": json.dumps({f"{MARK} line": "name"})},
    )
    assert imported.status_code == 200, imported.text
    ids["finance saved-mappings"] = _saved_mapping(a, "finance")
    flags = a.get(f"{finance}/reconciliation-flags", params={"tracker": "budget"}).json()["items"]
    ids["reconciliation-flags"] = flags[0]["id"]
    ids["activity-measures"] = _post(
        a,
        f"{finance}/savings-lines/{ids['savings-lines']}/activity-measures",
        {"name": f"{MARK} reviews", "planned": 100, "done": 10},
    )["id"]

    # A benefit's working on A's line, and a measure adopted from the national library.
    benefit = {
        "method": "units_cost",
        "inputs": {"units": {"planned": "3"}, "unit_cost": {"planned": "100"}},
    }
    put = a.put(f"{finance}/savings-lines/{ids['savings-lines']}/benefit", json=benefit)
    assert put.status_code in (200, 201), put.text
    _post(a, "/api/v1/kpi/library/adoptions", {"keys": ["ascof-2023-24:2C"]})

    ids["users"] = _post(
        a,
        "/api/v1/users",
        {
            "email": "someone@alderbrook.example",
            "display_name": f"{MARK} Person",
            "roles": ["viewer"],
            "password": "a long enough password",
        },
    )["id"]
    ids["api-keys"] = _post(
        a,
        "/api/v1/api-keys",
        {"name": f"{MARK} key", "access": "read", "services": ["kpi"]},
    )["id"]
    return ids


def _import_unchanged(
    a: TestClient, path: str, mapping: dict[str, str], headings: list[str], row: list[str]
) -> None:
    """Import one of A's records as it is with a column mapped by hand, so that the import
    saves the mapping for A and changes no record."""
    response = a.post(
        path,
        params={"commit": "true"},
        files={"file": ("a.csv", write_csv(headings, [row]))},
        data={"mapping": json.dumps(mapping)},
    )
    assert response.status_code == 200, response.text
    assert response.json()["counts"]["unchanged"] == 1, response.text


def _saved_mapping(a: TestClient, service: str) -> str:
    [saved] = a.get(f"/api/v1/{service}/saved-mappings").json()["items"]
    assert MARK in " ".join(saved["headings"])
    found: str = saved["id"]
    return found


def _council_b(b: TestClient) -> dict[str, str]:
    """B's own records, whose links the tests try to point at A's."""
    projects, finance = "/api/v1/projects", "/api/v1/finance"
    ids: dict[str, str] = {}
    ids["measures"] = _post(b, "/api/v1/kpi/measures", {"code": "B-1", "title": "B measure"})["id"]
    ids["objectives"] = _post(b, f"{projects}/objectives", {"number": 1, "statement": "B"})["id"]
    ids["programmes"] = _post(b, f"{projects}/programmes", {"name": "B programme"})["id"]
    ids["projects"] = _post(b, f"{projects}/projects", {"name": "B project"})["id"]
    ids["savings-lines"] = _post(
        b, f"{finance}/savings-lines", {"reference": "B-S1", "title": "B", "category": "other"}
    )["id"]
    return ids


def fill(template: str, values: dict[str, str]) -> str:
    """`/x/{line_id}/entries/{month}` with each parameter taken from the collection before it."""
    parts = template.split("/")
    for index, part in enumerate(parts):
        if part.startswith("{"):
            # Each service has its own saved mappings: "kpi saved-mappings" before "saved-mappings".
            collection = parts[index - 1]
            parts[index] = values.get(f"{parts[3]} {collection}") or values[collection]
    return "/".join(parts)


def path_parameters(template: str) -> list[str]:
    return re.findall(r"\{([^}]+)\}", template)


WEB_RECORDS = {
    "user_id": "users",
    "key_id": "api-keys",
    "measure_id": "measures",
    "actual_id": "actuals",
    "project_id": "projects",
    "milestone_id": "milestones",
    "line_id": "savings-lines",
    "target_id": "targets",
    "item_id": "raid-items",
    "report_id": "highlight-reports",
    "objective_id": "objectives",
    "priority_id": "priorities",
    "action_id": "improvement-actions",
}
"""Which of A's records each path parameter of a web page names (a parameter not here gets
no record of A's)."""

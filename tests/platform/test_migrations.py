"""Migrations build every schema from nothing, agree with the models, and undo cleanly."""

import importlib
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import MetaData, create_engine, inspect

from common.migrate import SCHEMAS, downgrade_all, upgrade_all
from common.pg import drop_database, fresh_database

MODELS = {
    "identity": "gateway.models",
    "kpi": "services.kpi.models",
    "projects": "services.projects.models",
    "finance": "services.finance.models",
}


def metadata_of(schema: str) -> MetaData:
    # Each schema's env.py imports the module that registers all its tables; do the same.
    env = importlib.import_module(MODELS[schema])
    metadata: MetaData = env.Base.metadata
    return metadata


@pytest.fixture(scope="module")
def empty_database(pg_server_url: str) -> Iterator[str]:
    url = fresh_database(pg_server_url, "asc_migrations")
    yield url
    drop_database(url)


def _tables(url: str) -> dict[str, set[str]]:
    engine = create_engine(url)
    try:
        inspector = inspect(engine)
        names = set(inspector.get_schema_names())
        return {s: set(inspector.get_table_names(schema=s)) for s in SCHEMAS if s in names}
    finally:
        engine.dispose()


def test_upgrade_from_empty_creates_every_schema_and_models_agree(empty_database: str) -> None:
    upgrade_all(empty_database)
    tables = _tables(empty_database)
    for schema in SCHEMAS:
        assert tables[schema] - {"alembic_version"}, f"{schema} has no tables"

    engine = create_engine(empty_database)
    with engine.connect() as connection:
        for schema in SCHEMAS:
            context = MigrationContext.configure(
                connection,
                opts={
                    "include_schemas": True,
                    "include_name": _only(schema),
                    "compare_type": True,
                    "version_table_schema": schema,
                },
            )
            difference = compare_metadata(context, metadata_of(schema))
            assert difference == [], f"models and migrations of {schema} differ: {difference}"
    engine.dispose()


def test_downgrade_to_base_removes_every_table(empty_database: str) -> None:
    upgrade_all(empty_database)
    downgrade_all(empty_database)
    assert all(tables <= {"alembic_version"} for tables in _tables(empty_database).values())
    upgrade_all(empty_database)  # and back up again from base
    assert _tables(empty_database)["kpi"] - {"alembic_version"}


def _only(schema: str) -> Any:
    def include_name(name: str | None, type_: str, _parent: object) -> bool:
        return name == schema if type_ == "schema" else True

    return include_name


def test_existing_api_keys_get_the_one_role_closest_to_what_they_did(empty_database: str) -> None:
    from alembic import command
    from sqlalchemy import text

    from common.migrate import alembic_config

    downgrade_all(empty_database)
    command.upgrade(alembic_config("identity", empty_database), "e7b2d9c4a1f6")
    scopes = {
        "reader": ("read", ["finance", "kpi"]),
        "kpi": ("read_write", ["kpi"]),
        "kpi and projects": ("read_write", ["kpi", "projects"]),
        "finance": ("read_write", ["finance"]),
        "finance and projects": ("read_write", ["finance", "projects"]),
    }
    engine = create_engine(empty_database)
    try:
        with engine.begin() as connection:
            for n, (name, (access, services)) in enumerate(scopes.items()):
                connection.execute(
                    text(
                        "INSERT INTO identity.api_keys (id, org_id, name, digest, prefix, access,"
                        " services, created_by, created_at, updated_at) VALUES (gen_random_uuid(),"
                        " gen_random_uuid(), :name, :digest, 'asc_', :access, :services, 'admin',"
                        " now(), now())"
                    ),
                    {"name": name, "digest": f"{n:064}", "access": access, "services": services},
                )
        command.upgrade(alembic_config("identity", empty_database), "head")
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT name, role FROM identity.api_keys")).all()
            roles: dict[str, str] = dict(rows)
    finally:
        engine.dispose()
    assert roles == {
        "reader": "viewer",
        "kpi": "programme_office",
        "kpi and projects": "programme_office",
        "finance": "finance",
        "finance and projects": "programme_office",
    }
    upgrade_all(empty_database)


def test_rekeying_by_council_keeps_every_row_and_link_and_undoes(empty_database: str) -> None:
    from alembic import command
    from sqlalchemy import text
    from sqlalchemy.exc import IntegrityError

    from common.migrate import alembic_config

    before_rekeying = "b41c7e2d9a05"
    finance = alembic_config("finance", empty_database)
    downgrade_all(empty_database)
    command.upgrade(finance, before_rekeying)
    council, other = uuid.uuid4(), uuid.uuid4()
    line, mitigation, foreign = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    engine = create_engine(empty_database)

    def add_line(connection: Any, id_: uuid.UUID, org: uuid.UUID, mitigates: object) -> None:
        connection.execute(
            text(
                "INSERT INTO finance.savings_lines (id, org_id, reference, title, description,"
                " project_ids, owner_team, category, saving_type, recurrence,"
                " delivery_confidence, status, written_off_reason, mitigates_line_id, version)"
                " VALUES (:id, :org, :ref, 'Saving', '', '{}', '', 'demand', 'saving',"
                " 'recurrent', 'high', 'on_track', '', :mitigates, 1)"
            ),
            {"id": id_, "org": org, "ref": str(id_)[:8], "mitigates": mitigates},
        )

    def rows(connection: Any) -> dict[str, list[Any]]:
        return {
            "lines": connection.execute(
                text("SELECT id, org_id, mitigates_line_id FROM finance.savings_lines ORDER BY id")
            ).all(),
            "targets": connection.execute(
                text("SELECT savings_line_id, org_id, in_year FROM finance.savings_targets")
            ).all(),
        }

    try:
        with engine.begin() as connection:
            add_line(connection, line, council, None)
            add_line(connection, mitigation, council, line)
            connection.execute(
                text(
                    "INSERT INTO finance.savings_targets (id, org_id, savings_line_id,"
                    " financial_year, in_year, full_year_effect)"
                    " VALUES (gen_random_uuid(), :org, :line, '2026/27', 1000.00, 1200.00)"
                ),
                {"org": council, "line": line},
            )
            stored = rows(connection)
        command.upgrade(finance, "head")
        keyed = inspect(engine).get_pk_constraint("savings_lines", schema="finance")
        assert keyed["constrained_columns"] == ["org_id", "id"]
        with engine.begin() as connection:
            assert rows(connection) == stored
        # A row can no longer name another council's row.
        with pytest.raises(IntegrityError), engine.begin() as connection:
            add_line(connection, foreign, other, line)
        # Taking the line away clears the link alone: the mitigation keeps its council.
        with engine.begin() as connection:
            connection.execute(
                text("DELETE FROM finance.savings_lines WHERE id = :id"), {"id": line}
            )
            assert rows(connection) == {"lines": [(mitigation, council, None)], "targets": []}
            add_line(connection, line, council, None)
            connection.execute(
                text("UPDATE finance.savings_lines SET mitigates_line_id = :line WHERE id = :id"),
                {"line": line, "id": mitigation},
            )
        command.downgrade(finance, before_rekeying)
        unkeyed = inspect(engine).get_pk_constraint("savings_lines", schema="finance")
        assert unkeyed["constrained_columns"] == ["id"]
        with engine.begin() as connection:
            assert rows(connection)["lines"] == sorted(
                [(line, council, None), (mitigation, council, line)]
            )
    finally:
        engine.dispose()
    upgrade_all(empty_database)

"""The schema can be distributed by council on Citus: every tenant table's primary key, unique
constraints and foreign keys include `org_id`, and every shared table is a declared reference
table (common/citus.py). Checked over the SQLAlchemy metadata each schema's migrations use."""

import importlib
import re
from pathlib import Path

import pytest
from sqlalchemy import MetaData, Table

from common.citus import (
    COORDINATOR_SCHEMAS,
    DISTRIBUTED_SCHEMAS,
    REFERENCE_TABLES,
    distribution_statements,
    is_tenant,
    not_distributable,
)
from common.migrate import SCHEMAS

ROOT = Path(__file__).resolve().parents[2]

NOT_READY: frozenset[str] = frozenset()
"""Tenant tables whose keys leave `org_id` out (`schema.table`): none since the re-keying
migrations. A new table belongs here only until its keys are `(org_id, id)` (mix in
`common.db.DistributedTenantMixin`, refer with `council_foreign_key`). Strict: a table made
ready fails here until it is taken off this list."""


def schema_metadata(schema: str) -> MetaData:
    """The metadata `migrations/<schema>/env.py` migrates, found from its own import."""
    env = (ROOT / "migrations" / schema / "env.py").read_text()
    found = re.search(r"^from (\S+) import .*\bBase\b", env, flags=re.MULTILINE)
    assert found, f"migrations/{schema}/env.py imports no Base"
    metadata: MetaData = importlib.import_module(found.group(1)).Base.metadata
    return metadata


def tables() -> list[Table]:
    return [t for s in SCHEMAS for t in schema_metadata(s).sorted_tables]


def _tenant_tables() -> list[pytest.ParameterSet]:
    return [
        pytest.param(
            t,
            id=f"{t.schema}.{t.name}",
            marks=[pytest.mark.xfail(strict=True, reason="keys without org_id (see NOT_READY)")]
            if f"{t.schema}.{t.name}" in NOT_READY
            else [],
        )
        for t in tables()
        if t.schema in DISTRIBUTED_SCHEMAS and is_tenant(t)
    ]


def test_every_schema_is_either_distributed_or_kept_on_the_coordinator() -> None:
    assert set(SCHEMAS) == set(DISTRIBUTED_SCHEMAS) | set(COORDINATOR_SCHEMAS)


@pytest.mark.parametrize("table", _tenant_tables())
def test_a_tenant_tables_keys_all_include_org_id(table: Table) -> None:
    assert not_distributable(table) == []


def test_every_shared_table_is_a_declared_reference_table() -> None:
    shared = {
        f"{t.schema}.{t.name}"
        for t in tables()
        if t.schema in DISTRIBUTED_SCHEMAS and not is_tenant(t)
    }
    assert shared == REFERENCE_TABLES


def test_the_distribution_sql_covers_every_service_table_once() -> None:
    statements = distribution_statements([schema_metadata(s) for s in DISTRIBUTED_SCHEMAS])
    named = [re.search(r"'([a-z_]+\.[a-z_]+)'", s).group(1) for s in statements]  # type: ignore[union-attr]
    expected = [f"{t.schema}.{t.name}" for t in tables() if t.schema in DISTRIBUTED_SCHEMAS]
    assert sorted(named) == sorted(expected)
    reference = [s for s in statements if "create_reference_table" in s]
    distributed = statements[len(reference) :]
    assert statements[: len(reference)] == reference  # reference tables first
    assert len(reference) == len(REFERENCE_TABLES)
    assert "colocate_with" not in distributed[0]
    assert all("colocate_with" in s for s in distributed[1:])


def test_a_table_keyed_without_org_id_is_found_out() -> None:
    from sqlalchemy import Column, ForeignKey, Integer, Uuid

    metadata = MetaData(schema="kpi")
    Table("parents", metadata, Column("id", Integer, primary_key=True), Column("org_id", Uuid))
    child = Table(
        "children",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("org_id", Uuid, primary_key=True),
        Column("parent_id", ForeignKey("kpi.parents.id")),
        Column("code", Integer, unique=True),
    )
    assert not_distributable(child) == ["unique (code)", "foreign key (parent_id) to parents"]


def test_a_foreign_key_must_refer_to_its_parents_council() -> None:
    from sqlalchemy import Column, ForeignKeyConstraint, Integer, Uuid

    metadata = MetaData(schema="kpi")
    Table(
        "parents",
        metadata,
        Column("org_id", Uuid, primary_key=True),
        Column("id", Integer, primary_key=True),
    )
    Table("shared", metadata, Column("code", Integer, primary_key=True))

    def child(*keys: ForeignKeyConstraint) -> Table:
        return Table(
            "children",
            metadata,
            Column("org_id", Uuid, primary_key=True),
            Column("id", Integer, primary_key=True),
            Column("parent_id", Integer),
            Column("code", Integer),
            *keys,
            extend_existing=True,
        )

    # org_id crossed over to the parent's id: it names both columns, yet joins two councils.
    crossed = ForeignKeyConstraint(["org_id", "parent_id"], ["parents.id", "parents.org_id"])
    assert not_distributable(child(crossed)) == ["foreign key (org_id, parent_id) to parents"]
    metadata.remove(metadata.tables["kpi.children"])
    same = ForeignKeyConstraint(["parent_id", "org_id"], ["parents.id", "parents.org_id"])
    to_shared = ForeignKeyConstraint(["code"], ["shared.code"])
    assert not_distributable(child(same, to_shared)) == []


def test_the_not_ready_list_names_only_tables_that_exist() -> None:
    assert {f"{t.schema}.{t.name}" for t in tables()} >= NOT_READY

"""How the schema is laid out on Citus: each council's rows together on one worker.

Every table of the service schemas that has an `org_id` is distributed by it (co-located, so a
council's joins stay on one node); a table of those schemas without one is shared by every council
and replicated to every node as a reference table. The gateway's `identity` schema stays on the
coordinator as ordinary (Citus local) tables: it is small, and it is read by credential (a
session digest, a key digest, an e-mail) before any council is known, which no distribution
column could serve. `distribution_statements` writes the SQL that lays an existing database out so
(deploy/README.md, "Running on Citus").
"""

from sqlalchemy import ForeignKeyConstraint, MetaData, Table, UniqueConstraint

DISTRIBUTION_COLUMN = "org_id"
DISTRIBUTED_SCHEMAS = ("kpi", "projects", "finance")
COORDINATOR_SCHEMAS = ("identity",)
REFERENCE_TABLES: frozenset[str] = frozenset(
    {"finance.shared_savings", "finance.published_tables", "finance.published_savings"}
)
"""Tables of the service schemas shared by every council (`schema.table`): the savings library's
platform data (services/finance/library/models.py)."""


def is_tenant(table: Table) -> bool:
    return DISTRIBUTION_COLUMN in table.c


def not_distributable(table: Table) -> list[str]:
    """Why `table` cannot be distributed by council: each key that leaves `org_id` out."""
    problems = []
    if DISTRIBUTION_COLUMN not in table.primary_key.columns:
        problems.append(f"primary key ({', '.join(table.primary_key.columns.keys())})")
    uniques, foreign_keys = [], []
    for constraint in table.constraints:
        columns = [c.name for c in constraint.columns]  # type: ignore[attr-defined]
        if isinstance(constraint, UniqueConstraint) and DISTRIBUTION_COLUMN not in columns:
            uniques.append(f"unique ({', '.join(columns)})")
        elif isinstance(constraint, ForeignKeyConstraint) and not _same_council(constraint):
            foreign_keys.append(
                f"foreign key ({', '.join(columns)}) to {constraint.referred_table.name}"
            )
    # Sorted by what they say (a constraint may have no name), so the list reads the same each run.
    problems += sorted(uniques) + sorted(foreign_keys)
    for index in sorted(table.indexes, key=lambda i: str(i.name)):
        columns = [c.name for c in index.columns]
        if index.unique and DISTRIBUTION_COLUMN not in columns:
            problems.append(f"unique index ({', '.join(columns)})")
    return problems


def _same_council(foreign_key: ForeignKeyConstraint) -> bool:
    """A foreign key whose `org_id` refers to its parent's `org_id`: the two rows are of one
    council, so Citus keeps them on one node. (A reference table's key needs no council.)"""
    if not is_tenant(foreign_key.referred_table):
        return True
    return any(
        element.parent.name == DISTRIBUTION_COLUMN and element.column.name == DISTRIBUTION_COLUMN
        for element in foreign_key.elements
    )


def distribution_statements(metadatas: list[MetaData]) -> list[str]:
    """The Citus calls that distribute the service schemas: reference tables first, then every
    tenant table, parents before children, co-located with the first."""
    statements: list[str] = []
    anchor: str | None = None
    for metadata in metadatas:
        for table in metadata.sorted_tables:
            if table.schema not in DISTRIBUTED_SCHEMAS:
                continue
            name = f"{table.schema}.{table.name}"
            if not is_tenant(table):
                statements.insert(0, f"select create_reference_table('{name}');")
                continue
            colocate = f", colocate_with => '{anchor}'" if anchor else ""
            statements.append(
                f"select create_distributed_table('{name}', '{DISTRIBUTION_COLUMN}'{colocate});"
            )
            anchor = anchor or name
    return statements

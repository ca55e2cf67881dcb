"""Re-key a schema's tenant tables by council, for the revisions that do it (one per schema).

Citus distributes a table by council only if every key of it holds `org_id`
(common/citus.py), so each tenant table's primary key `(id)` becomes `(org_id, id)`, each unique
constraint gains `org_id`, and each foreign key `(parent_id) → parent (id)` becomes
`(org_id, parent_id) → parent (org_id, id)`, which also makes PostgreSQL refuse a row that refers
to another council's. Constraint names stay those of `common.db.NAMING_CONVENTION`.

Everything happens in the revision's one transaction, in the order the constraints depend on
each other: foreign keys go first (they hang on their parents' primary keys) and come back last.
Row-level security policies name the `org_id` column, not a key, so they stay as they are.
Existing rows need nothing but a check: a foreign key between two councils' rows (which row-level
security never let the services write) fails the revision, naming the key, and changes nothing.

Frozen with the revisions that call it: a later change to the schema is a revision of its own.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from alembic import op

ORG = "org_id"


@dataclass(frozen=True)
class Reference:
    """A foreign key `column` of `table` to `parent`'s id, with its ON DELETE rule."""

    table: str
    column: str
    parent: str
    ondelete: str

    @property
    def name(self) -> str:
        return f"fk_{self.table}_{self.column}_{self.parent}"

    def create(self, schema: str, *, by_council: bool) -> None:
        ondelete = self.ondelete
        if by_council and ondelete == "SET NULL":
            ondelete = f"SET NULL ({self.column})"  # the row keeps its council
        council = [ORG] if by_council else []
        op.create_foreign_key(
            op.f(self.name),
            self.table,
            self.parent,
            [*council, self.column],
            [*council, "id"],
            source_schema=schema,
            referent_schema=schema,
            ondelete=ondelete,
        )


@dataclass(frozen=True)
class Unique:
    """A unique constraint of `table` on `columns` (without `org_id`, which re-keying adds)."""

    table: str
    columns: tuple[str, ...]

    def name(self, *, by_council: bool) -> str:
        columns = (ORG, *self.columns) if by_council else self.columns
        return f"uq_{self.table}_{'_'.join(columns)}"

    def create(self, schema: str, *, by_council: bool) -> None:
        columns = [ORG, *self.columns] if by_council else list(self.columns)
        op.create_unique_constraint(
            op.f(self.name(by_council=by_council)), self.table, columns, schema=schema
        )

    def drop(self, schema: str, *, by_council: bool) -> None:
        op.drop_constraint(
            op.f(self.name(by_council=by_council)), self.table, type_="unique", schema=schema
        )


@dataclass(frozen=True)
class Schema:
    """What re-keying changes in one schema."""

    name: str
    tables: Sequence[str]
    """Every tenant table (audit_events included): its primary key becomes (org_id, id)."""
    references: Sequence[Reference] = ()
    uniques: Sequence[Unique] = ()
    """Unique constraints that leave org_id out today."""

    @property
    def org_indexes(self) -> list[str]:
        """Tables whose own index on org_id the new primary key makes redundant (it leads with
        it): all but the audit table, whose org_id leads an index on the record instead."""
        return [t for t in self.tables if t != "audit_events"]


def _primary_key(schema: Schema, table: str, columns: list[str]) -> None:
    name = op.f(f"pk_{table}")
    op.drop_constraint(name, table, type_="primary", schema=schema.name)
    op.create_primary_key(name, table, columns, schema=schema.name)


def key_by_council(schema: Schema) -> None:
    """Upgrade: every key of `schema`'s tenant tables holds org_id."""
    for reference in schema.references:
        op.drop_constraint(
            op.f(reference.name), reference.table, type_="foreignkey", schema=schema.name
        )
    for table in schema.tables:
        _primary_key(schema, table, [ORG, "id"])
    for unique in schema.uniques:
        unique.drop(schema.name, by_council=False)
        unique.create(schema.name, by_council=True)
    for table in schema.org_indexes:
        op.drop_index(op.f(f"ix_{schema.name}_{table}_{ORG}"), table, schema=schema.name)
    for reference in schema.references:
        reference.create(schema.name, by_council=True)


def key_by_id(schema: Schema) -> None:
    """Downgrade: back to keys on id alone, as before."""
    for reference in schema.references:
        op.drop_constraint(
            op.f(reference.name), reference.table, type_="foreignkey", schema=schema.name
        )
    for table in schema.org_indexes:
        op.create_index(op.f(f"ix_{schema.name}_{table}_{ORG}"), table, [ORG], schema=schema.name)
    for unique in schema.uniques:
        unique.drop(schema.name, by_council=True)
        unique.create(schema.name, by_council=False)
    for table in schema.tables:
        _primary_key(schema, table, ["id"])
    for reference in schema.references:
        reference.create(schema.name, by_council=False)

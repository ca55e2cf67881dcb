"""Many rows in one statement: `INSERT … SELECT * FROM unnest(…)` with one array per column.

The ORM's unit of work (and SQLAlchemy's "insertmanyvalues") sends thousands of rows as one
enormous statement per thousand rows, which the driver has to scan placeholder by placeholder;
an import of 10,000 rows spent most of its time there. Here each column travels as one array
parameter, so the statement stays a few hundred characters however many rows it carries.

These rows bypass the ORM's flush, so the audit hook does not see them: callers record them with
`common.audit.record_created` (or use `insert_audited`, which does both).

A column that holds an array (a savings line's project ids) travels as the text of each row's
array, since `unnest` would flatten an array of arrays into one long list. A refusal by a
constraint (a duplicate, a missing parent) is raised as SQLAlchemy's `IntegrityError`, as the
ORM would raise it, so the services answer it the same way.
"""

import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg
from sqlalchemy import JSON, Column, Table, any_, bindparam
from sqlalchemy import exc as sa_exc
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from common.errors import Conflict

CHUNK = 5_000
"""Rows per statement: large enough to be quick, small enough to keep each array modest."""

_DIALECT = postgresql.dialect()  # type: ignore[no-untyped-call]


def table_of(model: type[Any] | Table) -> Table:
    """The Core table of an ORM model (or the table itself)."""
    if isinstance(model, Table):
        return model
    table: Table = model.__table__
    return table


def _defaults(table: Table) -> list[tuple[str, Any]]:
    """(column key, its Python-side default) for each column that has one."""
    found = []
    for column in table.columns:
        default = column.default
        if default is not None and (
            getattr(default, "is_callable", False) or getattr(default, "is_scalar", False)
        ):
            found.append((column.key, default))
    return found


def _sql_type(column: Column[Any]) -> str:
    return str(column.type.compile(dialect=_DIALECT))


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value)


def _array_element(value: Any) -> str:
    if value is None:
        return "NULL"
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'


def _array_text(value: Any) -> str | None:
    """PostgreSQL's text form of a one-dimensional array: `{"a","b"}`."""
    if value is None:
        return None
    return "{" + ",".join(_array_element(v) for v in value) + "}"


def _carried(column: Column[Any]) -> tuple[str, str, Callable[[Any], Any] | None]:
    """How a column's values travel: the SQL type of the array parameter, the expression that
    reads one element of it back as the column's type (`{}` stands for the element), and the
    conversion of each Python value (None when the driver sends the value as it is)."""
    sql_type = _sql_type(column)
    if isinstance(column.type, ARRAY):
        return "TEXT[]", f"CAST({{}} AS {sql_type})", _array_text
    if isinstance(column.type, JSON):
        return f"{sql_type}[]", "{}", _json
    return f"{sql_type}[]", "{}", None


def _params(
    chunk: Sequence[Mapping[str, Any]],
    keys: Sequence[str],
    converters: Sequence[Callable[[Any], Any] | None],
) -> dict[str, list[Any]]:
    params: dict[str, list[Any]] = {}
    for i, (key, convert) in enumerate(zip(keys, converters, strict=True)):
        values = [row.get(key) for row in chunk]
        params[f"c{i}"] = [convert(v) for v in values] if convert else values
    return params


@contextmanager
def _integrity_as_orm(statement: str) -> Iterator[None]:
    """A constraint's refusal raised as the ORM raises it (answered 409 by the services)."""
    try:
        yield
    except psycopg.errors.IntegrityError as error:
        raise sa_exc.IntegrityError(statement, None, error) from error


def with_defaults(
    model: type[Any] | Table, rows: Sequence[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """The rows as they will be stored: each Python-side column default (an id, `version` 1, a
    default unit) filled in where the row leaves it out. Server defaults (timestamps) are left
    to PostgreSQL."""
    defaults = _defaults(table_of(model))
    filled: list[dict[str, Any]] = []
    for row in rows:
        full = dict(row)
        for key, default in defaults:
            if key not in full:
                full[key] = default.arg(None) if default.is_callable else default.arg
        filled.append(full)
    return filled


def insert_rows(
    session: Session, model: type[Any] | Table, rows: Sequence[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """Insert `rows` (column key → value) in statements of `CHUNK` rows; returns them with their
    defaults filled in. Tenant rows must carry their `org_id` (row-level security checks it).

    >>> # insert_rows(session, Target, [{"org_id": org, "measure_id": m, ...}, ...])
    """
    table = table_of(model)
    full = with_defaults(table, rows)
    if not full:
        return full
    keys = [c.key for c in table.columns if any(c.key in row for row in full)]
    carried = [_carried(table.columns[k]) for k in keys]
    names = ", ".join(f'"{table.columns[k].name}"' for k in keys)
    arrays = ", ".join(f"CAST(%(c{i})b AS {c[0]})" for i, c in enumerate(carried))
    values = ", ".join(c[1].format(f'u."c{i}"') for i, c in enumerate(carried))
    labels = ", ".join(f'"c{i}"' for i in range(len(keys)))
    statement = (
        f'INSERT INTO "{table.schema}"."{table.name}" ({names}) '
        f"SELECT {values} FROM unnest({arrays}) AS u({labels})"
    )
    converters = [c[2] for c in carried]
    # The driver's own cursor, so the arrays go in binary (%b): in text they are escaped element
    # by element, which cost more than everything else together.
    driver = session.connection().connection.driver_connection
    with driver.cursor() as cursor, _integrity_as_orm(statement):  # type: ignore[union-attr]
        for start in range(0, len(full), CHUNK):
            cursor.execute(statement, _params(full[start : start + CHUNK], keys, converters))
    return full


def one_of(column: Any, values: Sequence[Any]) -> Any:
    """`column = ANY(:values)`: a filter on many values sent as one array parameter (an `IN`
    list of thousands of values would be thousands of parameters)."""
    return column == any_(bindparam(None, list(values), type_=ARRAY(column.type)))


def changed_row(
    stored: Any, wanted: Mapping[str, Any], keys: Sequence[str]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(the row as it is, the row as it will be) for `update_rows` and
    `common.audit.record_updated`: each of `keys` takes its `wanted` value, else keeps the one
    `stored` (an ORM object as read) holds, so every row of one update sets the same columns.
    The row as it will be carries the `version` that was read, when the table has one."""
    before = {"id": stored.id, "org_id": stored.org_id} | {k: getattr(stored, k) for k in keys}
    after: dict[str, Any] = {"id": stored.id}
    if "version" in table_of(type(stored)).columns:
        after["version"] = stored.version
    return before, after | {k: wanted[k] if k in wanted else before[k] for k in keys}


class StaleRows(RuntimeError):
    """Some rows changed (or went) since they were read: the caller's work is out of date."""


@contextmanager
def import_conflict(what: str) -> Iterator[None]:
    """Within it, `StaleRows` becomes the 409 of an import: someone changed `what` ("savings
    lines") while the file was being imported, so nothing was."""
    try:
        yield
    except StaleRows:
        raise Conflict(
            f"Someone changed some of these {what} while the file was being imported; "
            "nothing was imported: import the file again."
        ) from None


def update_rows(
    session: Session, model: type[Any] | Table, rows: Sequence[Mapping[str, Any]]
) -> None:
    """Set new values on many rows by primary key `id` in one statement per `CHUNK` rows. Each
    row holds `id`, the columns to set (the same in every row) and, for a versioned table, the
    `version` that was read: the update then requires it and raises it by one (optimistic
    concurrency, as the ORM does), and `StaleRows` is raised if any row had moved on."""
    table = table_of(model)
    if not rows:
        return
    keys = list(rows[0])
    if "id" not in keys:
        raise ValueError("each row needs its id")
    versioned = "version" in table.columns
    sets = [k for k in keys if k not in ("id", "version")]
    carried = {k: _carried(table.columns[k]) for k in keys}
    assignments = [f'"{table.columns[k].name}" = ' + carried[k][1].format(f'u."{k}"') for k in sets]
    if versioned:
        assignments.append('"version" = t."version" + 1')
    if "updated_at" in table.columns:
        assignments.append('"updated_at" = now()')
    arrays = ", ".join(f"CAST(%(c{i})b AS {carried[k][0]})" for i, k in enumerate(keys))
    names = ", ".join(f'"{k}"' for k in keys)
    condition = 't."id" = u."id"' + (' AND t."version" = u."version"' if versioned else "")
    statement = (
        f'UPDATE "{table.schema}"."{table.name}" AS t SET {", ".join(assignments)} '
        f"FROM unnest({arrays}) AS u({names}) WHERE {condition}"
    )
    converters = [carried[k][2] for k in keys]
    driver = session.connection().connection.driver_connection
    with driver.cursor() as cursor, _integrity_as_orm(statement):  # type: ignore[union-attr]
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start : start + CHUNK]
            cursor.execute(statement, _params(chunk, keys, converters))
            if cursor.rowcount != len(chunk):
                raise StaleRows(f"{len(chunk) - cursor.rowcount} rows changed since they were read")

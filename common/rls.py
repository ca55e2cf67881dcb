"""Row-level security: PostgreSQL itself keeps each council's rows apart.

After every migration, every table of a service schema that has an `org_id` column gets a forced
row-level security policy keyed to `app.org_id`, which each request's transaction sets
(`common.db.set_organisation`). The services work as the role `asc_app`, which owns nothing, so
even a query that forgot its filter returns no other council's rows. The audit tables are
append-only for that role.
"""

from sqlalchemy import text
from sqlalchemy.engine import Connection

APP_ROLE = "asc_app"
TENANT_SCHEMAS = ("kpi", "projects", "finance")
_POLICY = "tenant_isolation"
_ORG = "nullif(current_setting('app.org_id', true), '')::uuid"


def ensure_app_role(connection: Connection) -> None:
    connection.execute(
        text(
            f"""do $$ begin
                if not exists (select from pg_roles where rolname = '{APP_ROLE}') then
                    create role {APP_ROLE} nologin;
                end if;
            end $$"""
        )
    )


def protect_schema(connection: Connection, schema: str) -> None:
    """Grant the app role what it needs in `schema` and isolate every tenant table (idempotent)."""
    ensure_app_role(connection)
    connection.execute(text(f'grant usage on schema "{schema}" to {APP_ROLE}'))
    connection.execute(
        text(
            f'grant select, insert, update, delete on all tables in schema "{schema}" to {APP_ROLE}'
        )
    )
    connection.execute(
        text(f'grant usage, select on all sequences in schema "{schema}" to {APP_ROLE}')
    )
    tenant_tables = connection.scalars(
        text(
            """select c.table_name from information_schema.columns c
               join information_schema.tables t
                 on t.table_schema = c.table_schema and t.table_name = c.table_name
               where c.table_schema = :schema and c.column_name = 'org_id'
                 and t.table_type = 'BASE TABLE'"""
        ),
        {"schema": schema},
    ).all()
    if "audit_events" in tenant_tables:
        # Append-only for the app role in every schema, tenant schema or not (identity too).
        connection.execute(
            text(f'revoke update, delete on "{schema}".audit_events from {APP_ROLE}')
        )
    if schema not in TENANT_SCHEMAS:
        return
    for table in tenant_tables:
        qualified = f'"{schema}"."{table}"'
        connection.execute(text(f"alter table {qualified} enable row level security"))
        connection.execute(text(f"alter table {qualified} force row level security"))
        connection.execute(text(f"drop policy if exists {_POLICY} on {qualified}"))
        connection.execute(
            text(
                f"create policy {_POLICY} on {qualified} "
                f"using (org_id = {_ORG}) with check (org_id = {_ORG})"
            )
        )
        if table == "audit_events":
            connection.execute(text(f"revoke update, delete on {qualified} from {APP_ROLE}"))

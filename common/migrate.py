"""Bring every schema to its newest revision: `python -m common.migrate`."""

from pathlib import Path

from alembic import command
from alembic.config import Config

from common.settings import get_settings

SCHEMAS = ("identity", "kpi", "projects", "finance")
ROOT = Path(__file__).resolve().parent.parent


def alembic_config(schema: str, url: str) -> Config:
    config = Config(str(ROOT / "alembic.ini"), ini_section=schema)
    config.set_main_option("script_location", str(ROOT / "migrations" / schema))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade_all(url: str) -> None:
    for schema in SCHEMAS:
        command.upgrade(alembic_config(schema, url), "head")


def downgrade_all(url: str) -> None:
    for schema in reversed(SCHEMAS):
        command.downgrade(alembic_config(schema, url), "base")


if __name__ == "__main__":
    upgrade_all(get_settings().database_url)

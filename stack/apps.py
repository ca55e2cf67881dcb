"""The five processes that make up ASC Tracker, their factories and ports."""

from dataclasses import dataclass


@dataclass(frozen=True)
class AppSpec:
    factory: str
    port: int
    has_database: bool


APPS: dict[str, AppSpec] = {
    "gateway": AppSpec(factory="gateway.app:create_app", port=8000, has_database=True),
    "kpi": AppSpec(factory="services.kpi.app:create_app", port=8001, has_database=True),
    "projects": AppSpec(factory="services.projects.app:create_app", port=8002, has_database=True),
    "finance": AppSpec(factory="services.finance.app:create_app", port=8003, has_database=True),
    "web": AppSpec(factory="web.app:create_app", port=8004, has_database=False),
}

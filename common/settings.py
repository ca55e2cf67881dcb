"""Configuration from the environment, one class for every part."""

import uuid
from functools import lru_cache
from typing import Annotated

from pydantic import IPvAnyNetwork, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEMO_ORG_ID = uuid.UUID("00000000-0000-4000-8000-000000000001")
"""The demo council every request acts in until sign-in exists."""

SERVICES: tuple[str, ...] = ("kpi", "projects", "finance")
"""The back-end services the gateway routes `/api/v1/<name>/...` to."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore")

    database_url: str = ""
    kpi_url: str = "http://127.0.0.1:8001"
    projects_url: str = "http://127.0.0.1:8002"
    finance_url: str = "http://127.0.0.1:8003"
    web_url: str = "http://127.0.0.1:8004"
    gateway_url: str = "http://127.0.0.1:8000"
    identity_signing_key: SecretStr = SecretStr("")
    identity_token_ttl_seconds: int = 30
    identity_token_max_ttl_seconds: int = 120
    """Services refuse identity tokens made to live longer than this."""
    upstream_timeout_seconds: float = 10.0
    dev_identity: bool = False
    """Development only: with no sign-in, every request is an administrator of the demo council."""
    demo_org_id: uuid.UUID = DEMO_ORG_ID
    log_level: str = "INFO"
    database_transaction_pooling: bool = False
    """The database is reached through PgBouncer in transaction mode: prepare no statements."""
    database_role: str = "asc_app"
    """The role services work as: it owns no table, so row-level security always applies."""
    https_only: bool = False
    """Served over https: session cookies become `__Host-` and Secure, and HSTS is sent."""
    session_idle_minutes: float = 30
    """A session unused this long ends (a fraction in tests that let one end while they wait)."""
    session_absolute_hours: int = 12
    max_body_bytes: int = 5 * 1024 * 1024
    max_import_file_bytes: int = 15 * 1024 * 1024
    """The largest spreadsheet an import takes. Import requests may be larger than
    `max_body_bytes`: up to `import_body_bytes()`, room for the file sent again as base64."""
    rate_limit_per_address_per_minute: int = 3000
    """Requests a minute from one client address (0: no limit); bursts up to the same number."""
    rate_limit_per_key_per_minute: int = 1200
    """Requests a minute for one API key or signed-in session (0: no limit)."""
    rate_limit_flush_seconds: float = 2.0
    """How often each gateway process adds its request counts to the shared ones in PostgreSQL
    (0: on every request). Sign-in attempts are always counted there at once."""
    sign_in_attempts_per_address_per_minute: int = 120
    """Password sign-ins a minute from one client address, whatever the account (0: no limit)."""
    trusted_proxies: Annotated[list[IPvAnyNetwork], NoDecode] = []
    """Addresses or CIDR ranges, comma-separated, of the proxies (the ingress, the web app) whose
    X-Forwarded-For and X-Forwarded-Proto the gateway believes. Empty: none, the peer is the
    client."""
    oidc_issuer: str = ""
    """Single sign-on through OpenID Connect (e.g. Entra ID); empty: password sign-in only."""
    oidc_client_id: str = ""
    oidc_client_secret: SecretStr = SecretStr("")
    oidc_org_id: uuid.UUID | None = None
    """The council whose people sign in through that provider (default: the demo council)."""
    oidc_groups_claim: str = "groups"
    oidc_group_roles: dict[str, str] = {}
    """The provider's group (name or id) -> our role, e.g. {"asc-admins": "admin"}."""

    smtp_host: str = ""
    """Where reminder emails go out (empty: reminders are written to the log instead)."""
    smtp_port: int = 587
    smtp_tls: bool = True
    """STARTTLS before signing in to the SMTP server."""
    smtp_user: str = ""
    smtp_password: SecretStr = SecretStr("")
    mail_from: str = "asc-tracker@localhost"
    """The From address of reminder emails."""

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _split_commas(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("database_url")
    @classmethod
    def _use_psycopg_driver(cls, value: str) -> str:
        return sqlalchemy_url(value)

    def service_url(self, name: str) -> str:
        urls = {"kpi": self.kpi_url, "projects": self.projects_url, "finance": self.finance_url}
        return urls[name]

    def import_body_bytes(self) -> int:
        """The body limit of import requests: the file, or the file again as base64 (a third
        larger) in the preview's form, and room for the form's other fields."""
        return max(self.max_body_bytes, self.max_import_file_bytes * 4 // 3 + 64 * 1024)


def sqlalchemy_url(url: str) -> str:
    """Accept the usual `postgres://` and `postgresql://` forms and pin the psycopg 3 driver.

    >>> sqlalchemy_url("postgresql://u@h/db")
    'postgresql+psycopg://u@h/db'
    """
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


@lru_cache
def get_settings() -> Settings:
    return Settings()

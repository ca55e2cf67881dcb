"""Who is calling the gateway. Until sign-in exists, everyone is the development identity."""

from collections.abc import Awaitable, Callable

from fastapi import Request

from common.identity import Caller, Role
from common.settings import Settings

Authenticator = Callable[[Request], Awaitable[Caller | None]]


def development_authenticator(settings: Settings) -> Authenticator:
    """Every request acts as an administrator of the demo council (development only)."""
    caller = Caller(
        org_id=settings.demo_org_id,
        user_id="dev",
        display_name="Development user",
        roles=frozenset({Role.ADMIN}),
        client="web",
    )

    async def authenticate(_request: Request) -> Caller | None:
        return caller

    return authenticate

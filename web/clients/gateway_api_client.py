"""The gateway's own API as the pages use it: the caller, sign-in, people, API keys and the
council's name."""

from typing import Annotated, Any

from fastapi import Depends

from web.clients.gateway import (
    NO_BODY,
    Endpoint,
    Gateway,
    GatewayClient,
    editing,
    if_match,
)
from web.clients.models import (
    ApiKey,
    ApiKeyCreated,
    Caller,
    MyReminders,
    MySession,
    NoActiveOwner,
    Organisation,
    Page,
    PasswordResetCreated,
    PasswordResetLink,
    SessionStarted,
    User,
)

SIGN_IN = "sign-in"
ADMIN = "administration"

ME = Endpoint("GET", "/me", Caller, SIGN_IN)
START_SESSION = Endpoint("POST", "/sessions", SessionStarted, SIGN_IN)
CHANGE_PASSWORD = Endpoint("POST", "/me/password", NO_BODY, SIGN_IN)
MY_SESSIONS = Endpoint("GET", "/me/sessions", Page[MySession], SIGN_IN)
END_OTHER_SESSIONS = Endpoint("POST", "/me/sessions/end-others", NO_BODY, SIGN_IN)
LOOK_UP_RESET = Endpoint("POST", "/password-resets/lookup", PasswordResetLink, SIGN_IN)
USE_RESET = Endpoint("POST", "/password-resets/use", NO_BODY, SIGN_IN)
USERS = Endpoint("GET", "/users", Page[User], ADMIN)
USER = Endpoint("GET", "/users/{user_id}", User, ADMIN)
ADD_USER, CHANGE_USER = editing(USER)
SIGN_USER_OUT = Endpoint("POST", "/users/{user_id}/sign-out", NO_BODY, ADMIN)
MAKE_PASSWORD_RESET = Endpoint(
    "POST", "/users/{user_id}/password-reset", PasswordResetCreated, ADMIN
)
API_KEYS = Endpoint("GET", "/api-keys", Page[ApiKey], ADMIN)
ADD_API_KEY = Endpoint("POST", "/api-keys", ApiKeyCreated, ADMIN)
REVOKE_API_KEY = Endpoint("POST", "/api-keys/{key_id}/revoke", ApiKey, ADMIN)
MY_REMINDERS = Endpoint("GET", "/me/reminders", MyReminders, SIGN_IN)
SET_MY_REMINDERS = Endpoint("PUT", "/me/reminders", MyReminders, SIGN_IN)
NO_ACTIVE_OWNER = Endpoint("GET", "/no-active-owner", NoActiveOwner, "people service")
ORGANISATION = Endpoint("GET", "/organisation", Organisation, ADMIN)
CHANGE_ORGANISATION = Endpoint("PATCH", "/organisation", Organisation, ADMIN)


class GatewayApiClient:
    def __init__(self, gateway: GatewayClient) -> None:
        self._gateway = gateway

    async def me(self) -> Caller:
        return await self._gateway.call(ME)

    async def sign_in(self, email: str, password: str) -> list[str]:
        """Start a session; the `set-cookie` headers that carry it to the browser."""
        response = await self._gateway.request(
            START_SESSION.method,
            START_SESSION.path,
            what=START_SESSION.what,
            json={"email": email, "password": password},
        )
        START_SESSION.adapter.validate_json(response.content)
        return response.headers.get_list("set-cookie")

    async def change_password(self, current_password: str, new_password: str) -> None:
        await self._gateway.call(
            CHANGE_PASSWORD,
            json={"current_password": current_password, "new_password": new_password},
        )

    async def my_sessions(self) -> list[MySession]:
        return await self._gateway.every(MY_SESSIONS)

    async def end_other_sessions(self, password: str) -> None:
        await self._gateway.call(END_OTHER_SESSIONS, json={"password": password})

    async def my_reminders(self) -> MyReminders:
        return await self._gateway.call(MY_REMINDERS)

    async def set_my_reminders(self, enabled: bool) -> MyReminders:
        return await self._gateway.call(SET_MY_REMINDERS, json={"enabled": enabled})

    async def no_active_owner(self) -> NoActiveOwner:
        """Measures and savings lines whose team has nobody who can sign in."""
        return await self._gateway.call(NO_ACTIVE_OWNER)

    async def password_reset_link(self, token: str) -> PasswordResetLink:
        return await self._gateway.call(LOOK_UP_RESET, json={"token": token or "-"})

    async def use_password_reset(self, token: str, new_password: str) -> None:
        await self._gateway.call(
            USE_RESET, json={"token": token or "-", "new_password": new_password}
        )

    async def users(self) -> list[User]:
        return await self._gateway.every(USERS)

    async def user(self, user_id: str) -> User:
        return await self._gateway.call(USER, {"user_id": user_id})

    async def add_user(self, values: dict[str, Any]) -> User:
        return await self._gateway.call(ADD_USER, json=values)

    async def change_user(self, user_id: str, version: str, values: dict[str, Any]) -> User:
        return await self._gateway.call(
            CHANGE_USER, {"user_id": user_id}, json=values, headers=if_match(version)
        )

    async def sign_user_out(self, user_id: str) -> None:
        await self._gateway.call(SIGN_USER_OUT, {"user_id": user_id})

    async def make_password_reset(self, user_id: str) -> PasswordResetCreated:
        return await self._gateway.call(MAKE_PASSWORD_RESET, {"user_id": user_id})

    async def api_keys(self) -> list[ApiKey]:
        return await self._gateway.every(API_KEYS)

    async def add_api_key(self, values: dict[str, Any]) -> ApiKeyCreated:
        return await self._gateway.call(ADD_API_KEY, json=values)

    async def revoke_api_key(self, key_id: str) -> ApiKey:
        return await self._gateway.call(REVOKE_API_KEY, {"key_id": key_id})

    async def organisation(self) -> Organisation:
        return await self._gateway.call(ORGANISATION)

    async def change_organisation(
        self, *, name: str, allow_self_approval: bool, version: str
    ) -> Organisation:
        """The council's name, and whether a one-person team may approve its own figures."""
        return await self._gateway.call(
            CHANGE_ORGANISATION,
            json={"name": name, "allow_self_approval": allow_self_approval},
            headers=if_match(version),
        )


def gateway_api_client(gateway: Gateway) -> GatewayApiClient:
    """FastAPI dependency: the gateway's own API on behalf of the person viewing the page."""
    return GatewayApiClient(gateway)


GatewayApi = Annotated[GatewayApiClient, Depends(gateway_api_client)]

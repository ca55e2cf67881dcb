"""The platform administration API as the platform pages use it: councils, their first
administrator and their usage (gateway/platform.py)."""

from typing import Annotated, Any

from fastapi import Depends

from web.clients.gateway import Endpoint, Gateway, GatewayClient
from web.clients.models import Council, CouncilCreated, Page

PLATFORM = "platform administration"

COUNCILS = Endpoint("GET", "/platform/councils", Page[Council], PLATFORM)
COUNCIL = Endpoint("GET", "/platform/councils/{org_id}", Council, PLATFORM)
ADD_COUNCIL = Endpoint("POST", "/platform/councils", CouncilCreated, PLATFORM)
DISABLE_COUNCIL = Endpoint("POST", "/platform/councils/{org_id}/disable", Council, PLATFORM)
ENABLE_COUNCIL = Endpoint("POST", "/platform/councils/{org_id}/enable", Council, PLATFORM)


class PlatformApiClient:
    def __init__(self, gateway: GatewayClient) -> None:
        self._gateway = gateway

    async def councils(self) -> list[Council]:
        return await self._gateway.every(COUNCILS)

    async def council(self, org_id: str) -> Council:
        return await self._gateway.call(COUNCIL, {"org_id": org_id})

    async def add_council(self, values: dict[str, Any]) -> CouncilCreated:
        return await self._gateway.call(ADD_COUNCIL, json=values)

    async def disable_council(self, org_id: str) -> Council:
        return await self._gateway.call(DISABLE_COUNCIL, {"org_id": org_id})

    async def enable_council(self, org_id: str) -> Council:
        return await self._gateway.call(ENABLE_COUNCIL, {"org_id": org_id})


def platform_api_client(gateway: Gateway) -> PlatformApiClient:
    """FastAPI dependency: the platform API on behalf of the person viewing the page."""
    return PlatformApiClient(gateway)


PlatformApi = Annotated[PlatformApiClient, Depends(platform_api_client)]

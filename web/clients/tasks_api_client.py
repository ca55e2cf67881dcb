"""The caller's tasks, gathered by the gateway from every service."""

from web.clients.gateway import Endpoint, GatewayClient
from web.clients.models import MyTasks

MY_TASKS = Endpoint("GET", "/me/tasks", MyTasks, "task list")


class TasksApiClient:
    def __init__(self, gateway: GatewayClient) -> None:
        self._gateway = gateway

    async def mine(self) -> MyTasks:
        return await self._gateway.call(MY_TASKS)

"""The caller's tasks, gathered by the gateway from every service, and the reminders sent."""

from web.clients.gateway import Endpoint, GatewayClient, if_match
from web.clients.models import MyTasks, OrganisationDeadlines, Page, ReminderSent

MY_TASKS = Endpoint("GET", "/me/tasks", MyTasks, "task list")
DEADLINES = Endpoint("GET", "/organisation", OrganisationDeadlines, "administration")
CHANGE_DEADLINES = Endpoint("PATCH", "/organisation", OrganisationDeadlines, "administration")
REMINDERS_SENT = Endpoint("GET", "/reminders-sent", Page[ReminderSent], "administration")


class TasksApiClient:
    def __init__(self, gateway: GatewayClient) -> None:
        self._gateway = gateway

    async def mine(self) -> MyTasks:
        return await self._gateway.call(MY_TASKS)

    async def reminders_sent(self, *, limit: int = 100, offset: int = 0) -> Page[ReminderSent]:
        return await self._gateway.call(REMINDERS_SENT, params={"limit": limit, "offset": offset})

    async def deadlines(self) -> OrganisationDeadlines:
        return await self._gateway.call(DEADLINES)

    async def change_deadlines(
        self, values: dict[str, object], version: str
    ) -> OrganisationDeadlines:
        return await self._gateway.call(
            CHANGE_DEADLINES, json={"deadlines": values}, headers=if_match(version)
        )

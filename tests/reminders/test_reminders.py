"""The reminders command, over a real SMTP server run in-process (aiosmtpd): one digest per
person with each item and its link, and nothing again the second time it runs that day."""

import asyncio
import socket
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from email import message_from_bytes
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from fastapi.testclient import TestClient
from sqlalchemy import select

from common.db import Database
from common.identity import Role
from common.periods import Period
from common.settings import Settings
from gateway.models import Organisation, ReminderSent, User
from stack.reminders import send_reminders, smtp_sender
from stack.testing.plugin import System
from tests.identity.conftest import add_user
from tests.kpi.factories import make_measure

TEAM = "Reablement Team"
LAST_MONTH = Period.month_of(date.today()).previous()


@dataclass
class Inbox:
    """What the SMTP server received: one entry per message."""

    messages: list[tuple[list[str], Message]] = field(default_factory=list)

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:
        self.messages.append((list(envelope.rcpt_tos), message_from_bytes(envelope.content)))
        return "250 OK"


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, int]]:
    handler = Inbox()
    with socket.socket() as probe:  # a free port for the server
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


@pytest.fixture
def remind(
    system: System, settings: Settings, database: Database, inbox: tuple[Inbox, int]
) -> Callable[[], dict[str, Any]]:
    """Run the reminders command once, sending to the in-process SMTP server; what it sent."""
    mail = settings.model_copy(
        update={"smtp_host": "127.0.0.1", "smtp_port": inbox[1], "smtp_tls": False}
    )

    def run() -> dict[str, Any]:
        job = send_reminders(
            database,
            mail,
            system.gateway.state.upstreams,
            send=smtp_sender(mail),
        )
        # In a thread of its own, as the command runs: an earlier test (a browser one) may have
        # left this thread with an event loop running, where asyncio.run() refuses to start.
        with ThreadPoolExecutor(max_workers=1) as pool:
            outcome = pool.submit(asyncio.run, job).result()
        sent: dict[str, Any] = outcome.sent
        return sent

    return run


def one_figure_due(
    api: TestClient, database: Database, org_id: uuid.UUID, deadlines: dict[str, object]
) -> User:
    """The council's deadline settings as given, a measure (R1) whose figure TEAM provides, and
    a@demo.example, a data provider of TEAM."""
    with database.session(org_id) as session:
        council = session.get(Organisation, org_id)
        assert council is not None
        council.deadlines = deadlines
        session.commit()
    make_measure(api, code="R1", title="Reablement starts", data_provider=TEAM)
    return add_user(database, org_id, Role.DATA_PROVIDER, team=TEAM, email="a@demo.example")


def test_each_person_gets_one_digest_with_every_item_and_none_the_second_time(
    remind: Callable[[], dict[str, Any]],
    api: TestClient,
    settings: Settings,
    database: Database,
    demo_org: uuid.UUID,
    inbox: tuple[Inbox, int],
) -> None:
    received, _ = inbox
    deadlines: dict[str, object] = {"reminder_lead_days": 31, "close_working_days": 5}
    first = one_figure_due(api, database, demo_org, deadlines)
    make_measure(api, code="R2", title="Reablement ends", data_provider=TEAM)
    add_user(database, demo_org, Role.DATA_PROVIDER, team=TEAM, email="b@demo.example")
    add_user(database, demo_org, Role.DATA_PROVIDER, team="Quiet Team", email="q@demo.example")
    with database.session(demo_org) as session:
        off = add_user(database, demo_org, Role.DATA_PROVIDER, team=TEAM, email="off@demo.example")
        session.get_one(type(off), off.id).reminders_off = True
        session.commit()

    remind()
    assert sorted(to for to, _ in received.messages) == [["a@demo.example"], ["b@demo.example"]]
    message = next(m for to, m in received.messages if to == ["a@demo.example"])
    assert message["Subject"] == "ASC Tracker: 2 tasks due"
    body = message.get_payload(decode=True).decode()  # type: ignore[union-attr]
    for code, title in (("R1", "Reablement starts"), ("R2", "Reablement ends")):
        assert f"- Enter the figure for {code} {title}, {LAST_MONTH.label} (due " in body
    link = f"{settings.gateway_url}/kpis/entry?period={LAST_MONTH.code}&provider=Reablement+Team"
    assert body.count(link) == 2

    assert remind() == {}
    assert len(received.messages) == 2, "nothing is sent twice the same day"
    with database.session(demo_org) as session:
        logged = session.scalars(select(ReminderSent).where(ReminderSent.user_id == first.id)).all()
        assert [(r.email, r.delivered) for r in logged] == [("a@demo.example", True)] * 2


def test_a_council_that_turned_reminders_off_gets_none(
    remind: Callable[[], dict[str, Any]],
    api: TestClient,
    database: Database,
    demo_org: uuid.UUID,
    inbox: tuple[Inbox, int],
) -> None:
    one_figure_due(api, database, demo_org, {"reminders_enabled": False, "reminder_lead_days": 31})
    assert remind() == {}
    assert inbox[0].messages == []

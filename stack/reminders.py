"""The `reminders` command: each person gets one email digest of what is due soon or overdue.

`python -m stack.reminders` (or the `reminders` console script) runs it once; `make run` runs it
daily in the dev server, and a Kubernetes CronJob (`deploy/reminders-cronjob.yaml`) daily too.
Each person's tasks come from the services, as `GET /api/v1/me/tasks` gets them. Before a digest
goes, a row per item is claimed in `identity.reminders_sent` (unique per person, item and day) in
the same transaction: a second run that day, or a second replica at the same time, finds the rows
taken and sends nothing for them again. With no SMTP host the digests are written to the log.
"""

import asyncio
import logging
import smtplib
import sys
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage

import httpx
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from common.db import Database, make_engine
from common.settings import SERVICES, Settings, get_settings
from common.tasks import TaskItem
from gateway.accounts import caller_of, council_of, unscoped
from gateway.models import Organisation, ReminderSent, User
from gateway.tasks import tasks_of

log = logging.getLogger(__name__)
Send = Callable[[EmailMessage], None]


@dataclass
class Outcome:
    """What one run did: digests sent (or logged), by email address."""

    sent: dict[str, list[str]] = field(default_factory=dict)
    skipped_people: int = 0


def due_soon(items: list[TaskItem], today: date, lead_days: int) -> list[TaskItem]:
    """The items a reminder names: overdue, or due within `lead_days` of `today`."""
    horizon = today + timedelta(days=lead_days)
    return [item for item in items if item.overdue or item.due <= horizon]


def digest(person: User, items: list[TaskItem], settings: Settings) -> EmailMessage:
    """One email listing every item with the link to the form that clears it."""
    overdue = sum(item.overdue for item in items)
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = person.email
    message["Subject"] = f"ASC Tracker: {len(items)} task{'' if len(items) == 1 else 's'} due" + (
        f", {overdue} overdue" if overdue else ""
    )
    site = settings.gateway_url.rstrip("/")
    lines = [f"Hello {person.display_name},", "", "These are yours to do:", ""]
    for item in items:
        state = "OVERDUE, was due" if item.overdue else "due"
        lines += [f"- {item.title} ({state} {item.due:%-d %B %Y})", f"  {site}{item.link}", ""]
    lines += [
        "Your tasks are also on the dashboard.",
        f"To stop these emails, turn reminders off on {site}/account.",
    ]
    message.set_content("\n".join(lines))
    return message


def smtp_sender(settings: Settings) -> Send | None:
    """Send over SMTP, or None when no SMTP host is configured."""
    if not settings.smtp_host:
        return None

    def send(message: EmailMessage) -> None:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=30) as smtp:
            if settings.smtp_tls:
                smtp.starttls()
            if settings.smtp_user:
                smtp.login(settings.smtp_user, settings.smtp_password.get_secret_value())
            smtp.send_message(message)

    return send


def _claim(
    session: Session, person: User, items: list[TaskItem], day: date, delivered: bool
) -> list[TaskItem]:
    """The items not yet reminded of today, now claimed (waits for a replica claiming them)."""
    now = datetime.now(UTC)
    claimed = set(
        session.scalars(
            insert(ReminderSent)
            .values(
                [
                    {
                        "org_id": person.org_id,
                        "user_id": person.id,
                        "email": person.email,
                        "item": item.key,
                        "title": item.title,
                        "day": day,
                        "sent_at": now,
                        "delivered": delivered,
                    }
                    for item in items
                ]
            )
            .on_conflict_do_nothing(index_elements=["user_id", "item", "day"])
            .returning(ReminderSent.item)
        )
    )
    return [item for item in items if item.key in claimed]


async def send_reminders(
    database: Database,
    settings: Settings,
    upstreams: dict[str, httpx.AsyncClient],
    *,
    today: date | None = None,
    send: Send | None = None,
) -> Outcome:
    """Send today's digests to everyone with something due, in every council that wants them."""
    today = today or date.today()
    outcome = Outcome()
    with unscoped(database.session(None)) as session:
        organisations = list(session.scalars(select(Organisation.id)))
    for org_id in organisations:
        await _remind_council(database, settings, upstreams, org_id, today, send, outcome)
    return outcome


async def _remind_council(
    database: Database,
    settings: Settings,
    upstreams: dict[str, httpx.AsyncClient],
    org_id: uuid.UUID,
    today: date,
    send: Send | None,
    outcome: Outcome,
) -> None:
    with database.session(org_id) as session:
        council = council_of(session, org_id)
        people = list(
            session.scalars(select(User).where(User.org_id == org_id, User.disabled.is_(False)))
        )
        session.expunge_all()
    if not council.deadlines.reminders_enabled:
        return
    for person in people:
        if person.reminders_off:
            outcome.skipped_people += 1
            continue
        tasks = await tasks_of(
            caller_of(person, client="reminders", council=council), settings, upstreams
        )
        items = due_soon(tasks.items, today, council.deadlines.reminder_lead_days)
        if not items:
            continue
        with database.session(org_id) as session:
            fresh = _claim(session, person, items, today, delivered=send is not None)
            if fresh:
                message = digest(person, fresh, settings)
                if send is None:
                    log.info(
                        "Reminder to %s (no SMTP_HOST set, so not sent): %s\n%s",
                        person.email,
                        message["Subject"],
                        message.get_content(),
                    )
                else:
                    send(message)  # an error rolls the claim back: the next run tries again
                outcome.sent[person.email] = [item.key for item in fresh]
            session.commit()


def upstream_clients(settings: Settings) -> dict[str, httpx.AsyncClient]:
    return {
        name: httpx.AsyncClient(
            base_url=settings.service_url(name), timeout=settings.upstream_timeout_seconds
        )
        for name in SERVICES
    }


async def run_once(settings: Settings, database: Database) -> Outcome:
    """One run against the deployment's services, by SMTP if a host is set."""
    upstreams = upstream_clients(settings)
    try:
        return await send_reminders(database, settings, upstreams, send=smtp_sender(settings))
    finally:
        for client in upstreams.values():
            await client.aclose()


class Daily:
    """Runs the reminders once a day in a background thread (the dev server's `make run`)."""

    def __init__(self, settings: Settings, clock: Callable[[], date] = date.today) -> None:
        self._settings = settings
        self._clock = clock
        self._last: date | None = None
        self._running: threading.Thread | None = None

    def tick(self) -> None:
        """Start today's run if there has been none today and none is still going."""
        today = self._clock()
        if self._last == today or (self._running and self._running.is_alive()):
            return
        self._last = today
        self._running = threading.Thread(target=self._run, name="reminders", daemon=True)
        self._running.start()

    def _run(self) -> None:
        database = Database(make_engine(self._settings.database_url, pool_size=1))
        try:
            outcome = asyncio.run(run_once(self._settings, database))
            log.info("reminders done", extra={"digests": len(outcome.sent)})
        except Exception:  # a failed run must not stop the dev server; tomorrow tries again
            log.exception("reminders failed")
        finally:
            database.dispose()


def main() -> int:
    logging.basicConfig(level=logging.INFO)
    settings = get_settings()
    database = Database(make_engine(settings.database_url))
    try:
        outcome = asyncio.run(run_once(settings, database))
    finally:
        database.dispose()
    print(f"Reminders: {len(outcome.sent)} digest(s).", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

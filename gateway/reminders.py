"""Reminders as the gateway serves them: the log an admin reads of who was reminded and when,
and each person's own choice to get none."""

import uuid
from datetime import date, datetime

from fastapi import APIRouter, Request
from sqlalchemy import select

from common import crud
from common.db import unit_of_work
from common.errors import Forbidden, NotFound
from common.identity import Caller
from common.pagination import Page, PageDep, paginate
from gateway.admin import AdminDep, DbDep
from gateway.models import ReminderSent, User
from gateway.schemas import Input, Read

router = APIRouter(prefix="/api/v1", tags=["reminders"])


class ReminderSentRead(Read):
    email: str
    item: str
    title: str
    day: date
    sent_at: datetime
    delivered: bool
    """False: written to the log (no SMTP host set), not emailed."""


class MyReminders(Input):
    enabled: bool
    """Whether this person gets reminder emails (their council may turn them off for all)."""


@router.get("/reminders-sent", response_model=Page[ReminderSentRead])
def list_reminders_sent(session: DbDep, _caller: AdminDep, page: PageDep) -> Page[ReminderSentRead]:
    """Every reminder item sent in this organisation, newest first: to whom, what, and when."""
    statement = select(ReminderSent).order_by(ReminderSent.sent_at.desc(), ReminderSent.id.desc())
    items, total = paginate(session, statement, page)
    return crud.page(items, total, page, ReminderSentRead)


def _me(request: Request) -> tuple[Caller, uuid.UUID]:
    caller: Caller = request.state.caller
    try:
        return caller, uuid.UUID(caller.user_id)
    except ValueError:
        raise Forbidden("Only a person, not an API key, has reminders.") from None


@router.get("/me/reminders", response_model=MyReminders)
def my_reminders(request: Request) -> MyReminders:
    """Whether the caller gets reminder emails."""
    caller, user_id = _me(request)
    with unit_of_work(request.app.state.database, caller) as session:
        user = session.get(User, user_id)
        if user is None:
            raise NotFound("There is no such user.")
        return MyReminders(enabled=not user.reminders_off)


@router.put("/me/reminders", response_model=MyReminders)
def set_my_reminders(body: MyReminders, request: Request) -> MyReminders:
    """Turn the caller's own reminder emails on or off."""
    caller, user_id = _me(request)
    with unit_of_work(request.app.state.database, caller) as session:
        user = session.get(User, user_id)
        if user is None:
            raise NotFound("There is no such user.")
        user.reminders_off = not body.enabled
        session.flush()
        return MyReminders(enabled=not user.reminders_off)

"""HTTP routes of reconciliation flags: the totals of imported tables that did not add up."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from common import crud
from common.pagination import Page, PageDep
from services.finance.deps import CallerDep, SessionDep
from services.finance.reconciliations import service
from services.finance.reconciliations.models import ReconciliationFlag
from services.finance.reconciliations.schemas import FlagExplain, FlagRead, Tracker

router = APIRouter(prefix="/reconciliation-flags", tags=["reconciliation flags"])


@router.get("", response_model=Page[FlagRead])
def list_flags(
    session: SessionDep,
    tracker: Tracker,
    explained: Annotated[
        bool | None, Query(description="false: only those still open; true: only explained.")
    ] = None,
    *,
    page: PageDep,
) -> Page[FlagRead]:
    """Each stated total of an imported table that did not match its lines, kept with the
    tracker the lines went to (file, row, both figures) until someone explains it."""
    flags = service.flags(session, tracker=tracker, explained=explained)
    return crud.page_from([FlagRead.model_validate(f) for f in flags], page)


@router.post("/{flag_id}/explain", response_model=FlagRead)
def explain_flag(
    flag_id: uuid.UUID,
    body: FlagExplain,
    session: SessionDep,
    caller: CallerDep,
    request: Request,
    response: Response,
) -> FlagRead:
    """Mark a flag explained with a note (If-Match: its version)."""
    flag = crud.get_or_404(session, ReconciliationFlag, flag_id, "reconciliation flag")
    crud.check_version(request, flag)
    service.explain(
        session, flag, explanation=body.explanation, by=caller.display_name or caller.user_id
    )
    return crud.one(response, flag, FlagRead)

"""HTTP routes of actuals: entry, correction, the approval workflow and bulk submission."""

import json
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, File, Query, Request, Response, UploadFile, status
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from common import crud
from common.db import SessionDep
from common.errors import FieldError, ValidationFailed
from common.examples import example
from common.identity import Caller, CallerDep
from common.pagination import Page, PageDep
from common.periods import PeriodText
from common.spreadsheets import UnreadableFile, decode_text
from services.kpi.actuals import service
from services.kpi.actuals.examples import DRAFT, NEW_ACTUAL, SUBMITTED
from services.kpi.actuals.models import Actual
from services.kpi.actuals.rules import ActualStatus
from services.kpi.actuals.schemas import (
    BULK_MAX_ROWS,
    ActualCreate,
    ActualRead,
    ActualReturn,
    ActualUpdate,
    BulkRequest,
    BulkResult,
    RevisionRead,
)
from services.kpi.deps import Approver, period_param

router = APIRouter()


def _to_change(session: Session, actual_id: uuid.UUID, request: Request) -> Actual:
    """The actual a change names, if the caller read its current version (If-Match)."""
    actual = crud.get_or_404(session, Actual, actual_id, "actual")
    crud.check_version(request, actual)
    return actual


@router.get("/actuals", response_model=Page[ActualRead], tags=["actuals"])
def list_actuals(
    session: SessionDep,
    page: PageDep,
    measure_id: uuid.UUID | None = None,
    period: PeriodText | None = None,
    status: ActualStatus | None = None,
    data_provider: str | None = None,
) -> Page[ActualRead]:
    """Actuals, newest period first."""
    items, total = service.list_actuals(
        session,
        page=page,
        measure_id=measure_id,
        period=period_param(period).code if period else None,
        status=status,
        data_provider=data_provider,
    )
    return crud.page(items, total, page, ActualRead)


@router.post(
    "/actuals",
    status_code=status.HTTP_201_CREATED,
    response_model=ActualRead,
    tags=["actuals"],
    **example(request=NEW_ACTUAL, answer=DRAFT, status=201),
)
def create_actual(
    session: SessionDep, caller: CallerDep, data: ActualCreate, response: Response
) -> ActualRead:
    """Record a draft actual for a period that has none (422 for a duplicate)."""
    actual = service.create_actual(session, data=data, caller=caller)
    return crud.one(response, actual, ActualRead)


def _inline(schema: dict[str, Any]) -> dict[str, Any]:
    """A JSON schema with its `$defs` written in place, to sit inside the OpenAPI document."""
    definitions = schema.pop("$defs", {})

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref", "")
            if ref.startswith("#/$defs/"):
                return walk(definitions[ref.removeprefix("#/$defs/")])
            return {key: walk(value) for key, value in node.items()}
        if isinstance(node, list):
            return [walk(item) for item in node]
        return node

    result: dict[str, Any] = walk(schema)
    return result


_BULK_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": _inline(BulkRequest.model_json_schema())}},
    }
}


@router.post(
    "/actuals/bulk",
    response_model=BulkResult,
    tags=["actuals"],
    openapi_extra=_BULK_BODY,
)
async def bulk_actuals(request: Request, session: SessionDep, caller: CallerDep) -> BulkResult:
    """Store many actuals at once, all or nothing: any bad row gives 422 listing every problem
    (`rows.<n>.<field>`, counting data rows from 0). For a CSV file, use `bulk_actuals_csv`."""
    body = (await request.body()).decode("utf-8", errors="replace")
    if "csv" in request.headers.get("content-type", ""):
        # Before bulk.csv a CSV body came here: it is still read, so no integrator breaks.
        submit = request.query_params.get("submit", "").lower() in {"true", "1"}
        return await _store(session, caller, service.rows_from_csv(body, field="body"), submit)
    try:
        document = json.loads(body)
    except ValueError:
        raise ValidationFailed(
            "The body is not JSON.", errors=[FieldError("body", "Send JSON")]
        ) from None
    if not isinstance(document, dict) or not isinstance(document.get("rows"), list):
        raise ValidationFailed("No rows.", errors=[FieldError("rows", "Send a list of rows")])
    extra = set(document) - {"rows", "submit"}
    if extra:
        raise ValidationFailed(
            "Unknown fields.",
            errors=[FieldError(name, "Extra inputs are not permitted") for name in sorted(extra)],
        )
    return await _store(session, caller, document["rows"], bool(document.get("submit", False)))


@router.post("/actuals/bulk.csv", response_model=BulkResult, tags=["actuals"])
async def bulk_actuals_csv(
    session: SessionDep,
    caller: CallerDep,
    file: Annotated[
        UploadFile,
        File(
            description="CSV with a header line: "
            + ", ".join(service.CSV_COLUMNS)
            + f" (a measure_id or version column also works); at most {BULK_MAX_ROWS} rows."
        ),
    ],
    submit: Annotated[bool, Query(description="Submit every row for approval.")] = False,
) -> BulkResult:
    """Store many actuals from a CSV file, all or nothing: any bad row gives 422 listing every
    problem (`rows.<n>.<field>`, counting data rows from 0)."""
    try:
        text = decode_text(await file.read())
    except UnreadableFile as error:
        raise ValidationFailed(str(error), errors=[FieldError("file", str(error))]) from None
    rows = service.rows_from_csv(text)
    if len(rows) > BULK_MAX_ROWS:
        message = f"Send at most {BULK_MAX_ROWS} rows at once"
        raise ValidationFailed(message + ".", errors=[FieldError("file", message)])
    return await _store(session, caller, rows, submit)


async def _store(session: Session, caller: Caller, rows: list[Any], submit: bool) -> BulkResult:
    stored, created, updated = await run_in_threadpool(
        service.bulk_submit, session, raw_rows=rows, submit=submit, caller=caller
    )
    return BulkResult(
        created=created,
        updated=updated,
        actuals=[ActualRead.model_validate(a) for a in stored],
    )


@router.get("/actuals/{actual_id}", response_model=ActualRead, tags=["actuals"])
def get_actual(session: SessionDep, actual_id: uuid.UUID, response: Response) -> ActualRead:
    actual = crud.get_or_404(session, Actual, actual_id, "actual")
    return crud.one(response, actual, ActualRead)


@router.patch("/actuals/{actual_id}", response_model=ActualRead, tags=["actuals"])
def update_actual(
    session: SessionDep,
    caller: CallerDep,
    actual_id: uuid.UUID,
    data: ActualUpdate,
    request: Request,
    response: Response,
) -> ActualRead:
    """Correct an actual: it becomes a draft again; the reported figure stays until approved."""
    actual = _to_change(session, actual_id, request)
    actual = service.update_actual(session, actual=actual, data=data, caller=caller)
    return crud.one(response, actual, ActualRead)


@router.get("/actuals/{actual_id}/revisions", response_model=Page[RevisionRead], tags=["actuals"])
def actual_revisions(
    session: SessionDep, actual_id: uuid.UUID, page: PageDep
) -> Page[RevisionRead]:
    """Every revision of the actual, oldest first, with who made it and when."""
    actual = crud.get_or_404(session, Actual, actual_id, "actual")
    revisions = [RevisionRead.model_validate(r) for r in service.revisions(session, actual=actual)]
    return crud.page_from(revisions, page)


@router.post(
    "/actuals/{actual_id}/submit",
    response_model=ActualRead,
    tags=["actuals"],
    **example(answer=SUBMITTED),
)
def submit_actual(
    session: SessionDep,
    caller: CallerDep,
    actual_id: uuid.UUID,
    request: Request,
    response: Response,
) -> ActualRead:
    """Send a draft or returned actual for approval. Requires If-Match."""
    actual = _to_change(session, actual_id, request)
    actual = service.submit_actual(session, actual=actual, caller=caller)
    return crud.one(response, actual, ActualRead)


@router.post("/actuals/{actual_id}/approve", response_model=ActualRead, tags=["actuals"])
def approve_actual(
    session: SessionDep,
    caller: Approver,
    actual_id: uuid.UUID,
    request: Request,
    response: Response,
) -> ActualRead:
    """Approve a submitted actual (approvers only). Requires If-Match."""
    actual = _to_change(session, actual_id, request)
    actual = service.approve_actual(session, actual=actual, caller=caller)
    return crud.one(response, actual, ActualRead)


@router.post("/actuals/{actual_id}/return", response_model=ActualRead, tags=["actuals"])
def return_actual(
    session: SessionDep,
    caller: Approver,
    actual_id: uuid.UUID,
    data: ActualReturn,
    request: Request,
    response: Response,
) -> ActualRead:
    """Return a submitted actual to its provider with a reason (approvers only)."""
    actual = _to_change(session, actual_id, request)
    actual = service.return_actual(session, actual=actual, reason=data.reason, caller=caller)
    return crud.one(response, actual, ActualRead)

"""`POST /imports/kpis` and `POST /imports/actuals`: preview (the default) or commit the
council's KPI table, or its figures."""

from typing import Annotated

from fastapi import APIRouter, File, Query, UploadFile
from fastapi.responses import JSONResponse

from common.db import SessionDep
from common.importing import (
    IMPORT_RESPONSES,
    ImportCommit,
    ImportMapping,
    ImportPeriod,
    ImportRows,
    import_response,
    read_period_field,
)
from common.mapping import shape_upload
from common.periods import Frequency
from common.saved_mappings import MappingMemory, saved_mappings_router
from services.kpi.deps import Configure, Enterer
from services.kpi.imports import actuals, kpis
from services.kpi.imports.models import SavedMapping

router = APIRouter(prefix="/imports", tags=["imports"])
KINDS = ("kpis", "actuals")


@router.post(
    "/kpis",
    summary="Import the service plan KPI table (CSV or XLSX)",
    dependencies=Configure,
    responses=IMPORT_RESPONSES,
)
def import_kpis(
    file: Annotated[UploadFile, File(description="The KPI table, CSV or XLSX.")],
    session: SessionDep,
    commit: ImportCommit = False,
    rows: ImportRows = "all",
    mapping: ImportMapping = None,
    frequency: Annotated[
        Frequency | None,
        Query(description="How often every KPI is reported, when the table has no such column."),
    ] = None,
) -> JSONResponse:
    """Each row's action (create, update, unchanged), the fields read from it with its original
    cells, and every cell that could not be read. With `commit=true` every row is written, or
    none is (422 naming each blocking cell by row and column)."""
    memory = MappingMemory(session, SavedMapping, "kpis")
    shaped = shape_upload(file, kpis.COLUMNS, mapping, memory=memory)
    report, parsed = kpis.plan(session, shaped.table, file.filename or "", frequency)
    return import_response(
        report, commit=commit, rows=rows, write=lambda: kpis.commit(session, parsed), shape=shaped
    )


@router.post(
    "/actuals",
    summary="Import KPI actuals (CSV or XLSX)",
    responses=IMPORT_RESPONSES,
)
def import_actuals(
    file: Annotated[UploadFile, File(description="The figures: measure, period, value, ...")],
    session: SessionDep,
    caller: Enterer,
    commit: ImportCommit = False,
    rows: ImportRows = "all",
    mapping: ImportMapping = None,
    period: ImportPeriod = None,
) -> JSONResponse:
    """Each row's action: a new actual (draft), a correction of one (a new revision, back to
    draft, as `PATCH /actuals/{id}` does), a step of the workflow from its status column
    (Submitted, or Approved by approvers), or unchanged. Measures are found by code or title;
    periods read as written ("April 2025", "Q1 2025/26", "2025/26"), from a period column, from
    a column for each month, quarter or year ("Apr-25", "Q1 2025/26": one actual per filled
    cell), or the one `period` of the whole file. A data provider imports only their team's
    measures. With `commit=true` every row is written, or none is."""
    chosen = read_period_field(period)
    memory = MappingMemory(session, SavedMapping, "actuals")
    shaped = shape_upload(file, actuals.COLUMNS, mapping, memory=memory)
    report, planned = actuals.plan(
        session, shaped.table, file.filename or "", caller, period=chosen
    )
    return import_response(
        report,
        commit=commit,
        rows=rows,
        write=lambda: actuals.commit(session, planned, caller),
        shape=shaped,
    )


saved_mappings = saved_mappings_router(SavedMapping, KINDS)

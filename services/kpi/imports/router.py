"""`POST /imports/kpis` and `POST /imports/actuals`: preview (the default) or commit the
council's KPI table, or its figures."""

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, File, Query, UploadFile
from fastapi.responses import JSONResponse

from common.db import SessionDep
from common.importing import IMPORT_RESPONSES, ImportUpload, PeriodUpload, read_period_field
from common.periods import Frequency
from common.saved_mappings import MappingMemory, saved_mappings_router
from services.kpi.deps import Configure, Enterer
from services.kpi.imports import actuals, kpis
from services.kpi.imports.models import SavedMapping

router = APIRouter(prefix="/imports", tags=["imports"], responses=IMPORT_RESPONSES)
KINDS = ("kpis", "actuals")


@dataclass
class KpiTableUpload(ImportUpload):
    """The KPI table, with how often its KPIs are reported when it does not say."""

    file: Annotated[UploadFile, File(description="The KPI table, CSV or XLSX.")]
    frequency: Annotated[
        Frequency | None,
        Query(description="How often every KPI is reported, when the table has no such column."),
    ] = None


@dataclass
class ActualsUpload(PeriodUpload):
    """The figures, with the one period they are for when the file does not say."""

    file: Annotated[UploadFile, File(description="The figures: measure, period, value, ...")]


@router.post(
    "/kpis", summary="Import the service plan KPI table (CSV or XLSX)", dependencies=Configure
)
def import_kpis(upload: Annotated[KpiTableUpload, Depends()], session: SessionDep) -> JSONResponse:
    """Each row's action (create, update, unchanged), the fields read from it with its original
    cells, and every cell that could not be read. With `commit=true` every row is written, or
    none is (422 naming each blocking cell by row and column)."""
    return upload.answer(
        MappingMemory(session, SavedMapping, "kpis"),
        kpis.COLUMNS,
        plan=lambda table, filename: kpis.plan(session, table, filename, upload.frequency),
        write=lambda parsed, _: kpis.commit(session, parsed),
    )


@router.post("/actuals", summary="Import KPI actuals (CSV or XLSX)")
def import_actuals(
    upload: Annotated[ActualsUpload, Depends()], session: SessionDep, caller: Enterer
) -> JSONResponse:
    """Each row's action: a new actual (draft), a correction of one (a new revision, back to
    draft, as `PATCH /actuals/{id}` does), a step of the workflow from its status column
    (Submitted, or Approved by approvers), or unchanged. Measures are found by code or title;
    periods read as written ("April 2025", "Q1 2025/26", "2025/26"), from a period column, from
    a column for each month, quarter or year ("Apr-25", "Q1 2025/26": one actual per filled
    cell), or the one `period` of the whole file. A data provider imports only their team's
    measures. With `commit=true` every row is written, or none is."""
    chosen = read_period_field(upload.period)
    return upload.answer(
        MappingMemory(session, SavedMapping, "actuals"),
        actuals.COLUMNS,
        plan=lambda table, filename: actuals.plan(session, table, filename, caller, period=chosen),
        write=lambda planned, _: actuals.commit(session, planned, caller),
    )


saved_mappings = saved_mappings_router(SavedMapping, KINDS)

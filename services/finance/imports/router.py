"""`POST /imports/budget-lines`, `/imports/savings` and `/imports/savings-entries`: preview (the
default) or commit a finance table."""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from common.importing import (
    IMPORT_RESPONSES,
    ImportCommit,
    ImportFile,
    ImportMapping,
    ImportPeriod,
    ImportRows,
    import_response,
    read_period_field,
)
from common.mapping import shape_upload
from common.periods import FinancialYearText, MonthText
from common.saved_mappings import MappingMemory, saved_mappings_router
from services.finance.deps import CallerDep, SessionDep, project_names
from services.finance.imports import budgets, entries, savings
from services.finance.imports.models import SavedMapping
from services.finance.library.service import lines_changed
from services.finance.reconciliations.service import keep_flags
from services.finance.schemas import month_query, year_query

router = APIRouter(prefix="/imports", tags=["imports"])
KINDS = ("budget-lines", "savings", "savings-entries")


@router.post(
    "/budget-lines",
    summary="Import budget lines and forecasts (CSV or XLSX)",
    responses=IMPORT_RESPONSES,
)
def import_budget_lines(
    file: ImportFile,
    session: SessionDep,
    commit: ImportCommit = False,
    rows: ImportRows = "all",
    mapping: ImportMapping = None,
    month: Annotated[
        MonthText | None,
        Query(description='The month of a single "Forecast outturn" column, "2025-09".'),
    ] = None,
    financial_year: Annotated[
        FinancialYearText | None,
        Query(description="The year of the budgets when the file does not say."),
    ] = None,
) -> JSONResponse:
    """Budget lines matched by cost centre (else name), their budget for the year and their
    forecast outturn by month: month columns ("Apr", "Forecast M7") as ledgers export them, a
    "Month" column, or this service's budget position CSV. Each row's action and every cell that
    could not be read; with `commit=true` every row is written, or none is."""
    memory = MappingMemory(session, SavedMapping, "budget-lines")
    shaped = shape_upload(file, budgets.COLUMNS, mapping, memory=memory)
    report, planned = budgets.plan(
        session,
        shaped.table,
        file.filename or "",
        month=month_query(month),
        financial_year=year_query(financial_year),
    )

    def write() -> None:
        budgets.commit(session, planned)
        keep_flags(session, tracker="budget", filename=file.filename or "", shape=shaped)

    return import_response(
        report,
        commit=commit,
        rows=rows,
        write=write,
        shape=shaped,
    )


@router.post(
    "/savings",
    summary="Import the savings programme (CSV or XLSX)",
    responses=IMPORT_RESPONSES,
)
def import_savings(
    file: ImportFile,
    session: SessionDep,
    caller: CallerDep,
    request: Request,
    commit: ImportCommit = False,
    rows: ImportRows = "all",
    mapping: ImportMapping = None,
) -> JSONResponse:
    """Savings lines matched by reference, with their targets per year ("Target 2025/26") and
    the projects they belong to, checked against the projects service (503 when it cannot say).
    A service lead may create or change only their own team's lines. Reads this service's
    savings CSV back as it was written. With `commit=true` every row is written, or none is."""
    memory = MappingMemory(session, SavedMapping, "savings")
    shaped = shape_upload(file, savings.COLUMNS, mapping, memory=memory)
    report, planned = savings.plan(
        session,
        shaped.table,
        file.filename or "",
        caller=caller,
        projects=lambda: project_names(request),
    )

    def write() -> None:
        savings.commit(session, planned)
        keep_flags(session, tracker="savings", filename=file.filename or "", shape=shaped)
        lines_changed(session)

    return import_response(
        report,
        commit=commit,
        rows=rows,
        write=write,
        shape=shaped,
    )


@router.post(
    "/savings-entries",
    summary="Import monthly savings returns (CSV or XLSX)",
    responses=IMPORT_RESPONSES,
)
def import_savings_entries(
    file: ImportFile,
    session: SessionDep,
    caller: CallerDep,
    commit: ImportCommit = False,
    rows: ImportRows = "all",
    mapping: ImportMapping = None,
    period: ImportPeriod = None,
) -> JSONResponse:
    """Monthly returns (achieved to date, forecast for the year, commentary) matched by line
    reference and month: a month column, or the one month `period` of the whole file. A service
    lead may record returns only for their own team's lines. With `commit=true` every row is
    written, or none is."""
    month = read_period_field(period, months_only=True)
    memory = MappingMemory(session, SavedMapping, "savings-entries")
    shaped = shape_upload(file, entries.COLUMNS, mapping, memory=memory)
    report, planned = entries.plan(
        session, shaped.table, file.filename or "", caller=caller, period=month
    )

    def write() -> None:
        entries.commit(session, planned)
        lines_changed(session)

    return import_response(report, commit=commit, rows=rows, write=write, shape=shaped)


saved_mappings = saved_mappings_router(SavedMapping, KINDS)

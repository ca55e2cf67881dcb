"""`POST /imports/budget-lines`, `/imports/savings` and `/imports/savings-entries`: preview (the
default) or commit a finance table."""

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse

from common.importing import (
    IMPORT_RESPONSES,
    ImportUpload,
    ImportUploadDep,
    PeriodUpload,
    read_period_field,
)
from common.mapping import Shaped
from common.periods import FinancialYearText, MonthText
from common.saved_mappings import MappingMemory, saved_mappings_router
from services.finance.deps import CallerDep, SessionDep, project_names
from services.finance.imports import budgets, entries, savings
from services.finance.imports.models import SavedMapping
from services.finance.library.service import lines_changed
from services.finance.reconciliations.service import keep_flags
from services.finance.schemas import month_query, year_query

router = APIRouter(prefix="/imports", tags=["imports"], responses=IMPORT_RESPONSES)
KINDS = ("budget-lines", "savings", "savings-entries")


@dataclass
class BudgetUpload(ImportUpload):
    """A budget book, with the month or year it is for when it does not say."""

    month: Annotated[
        MonthText | None,
        Query(description='The month of a single "Forecast outturn" column, "2025-09".'),
    ] = None
    financial_year: Annotated[
        FinancialYearText | None,
        Query(description="The year of the budgets when the file does not say."),
    ] = None


@router.post("/budget-lines", summary="Import budget lines and forecasts (CSV or XLSX)")
def import_budget_lines(
    upload: Annotated[BudgetUpload, Depends()], session: SessionDep
) -> JSONResponse:
    """Budget lines matched by cost centre (else name), their budget for the year and their
    forecast outturn by month: month columns ("Apr", "Forecast M7") as ledgers export them, a
    "Month" column, or this service's budget position CSV. Each row's action and every cell that
    could not be read; with `commit=true` every row is written, or none is."""

    def write(planned: list[budgets.BudgetRow], shaped: Shaped) -> None:
        budgets.commit(session, planned)
        keep_flags(session, tracker="budget", filename=upload.filename, shape=shaped)

    return upload.answer(
        MappingMemory(session, SavedMapping, "budget-lines"),
        budgets.COLUMNS,
        plan=lambda table, filename: budgets.plan(
            session,
            table,
            filename,
            month=month_query(upload.month),
            financial_year=year_query(upload.financial_year),
        ),
        write=write,
    )


@router.post("/savings", summary="Import the savings programme (CSV or XLSX)")
def import_savings(
    upload: ImportUploadDep, session: SessionDep, caller: CallerDep, request: Request
) -> JSONResponse:
    """Savings lines matched by reference, with their targets per year ("Target 2025/26") and
    the projects they belong to, checked against the projects service (503 when it cannot say).
    A service lead may create or change only their own team's lines. Reads this service's
    savings CSV back as it was written. With `commit=true` every row is written, or none is."""

    def write(planned: list[savings.SavingsRow], shaped: Shaped) -> None:
        savings.commit(session, planned)
        keep_flags(session, tracker="savings", filename=upload.filename, shape=shaped)
        lines_changed(session)

    return upload.answer(
        MappingMemory(session, SavedMapping, "savings"),
        savings.COLUMNS,
        plan=lambda table, filename: savings.plan(
            session, table, filename, caller=caller, projects=lambda: project_names(request)
        ),
        write=write,
    )


@router.post("/savings-entries", summary="Import monthly savings returns (CSV or XLSX)")
def import_savings_entries(
    upload: Annotated[PeriodUpload, Depends()], session: SessionDep, caller: CallerDep
) -> JSONResponse:
    """Monthly returns (achieved to date, forecast for the year, commentary) matched by line
    reference and month: a month column, or the one month `period` of the whole file. A service
    lead may record returns only for their own team's lines. With `commit=true` every row is
    written, or none is."""
    month = read_period_field(upload.period, months_only=True)

    def write(planned: list[entries.EntryRow], _: Shaped) -> None:
        entries.commit(session, planned)
        lines_changed(session)

    return upload.answer(
        MappingMemory(session, SavedMapping, "savings-entries"),
        entries.COLUMNS,
        plan=lambda table, filename: entries.plan(
            session, table, filename, caller=caller, period=month
        ),
        write=write,
    )


saved_mappings = saved_mappings_router(SavedMapping, KINDS)

"""`POST /imports/kpis`: preview (the default) or commit the council's KPI table."""

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, File, Query, UploadFile
from fastapi.responses import JSONResponse

from common.db import SessionDep
from common.identity import Caller, CallerDep
from common.tables import import_response, read_upload
from services.kpi.actuals import check_may_configure
from services.kpi.imports import kpis

router = APIRouter(prefix="/imports", tags=["imports"])


def _configurer(caller: CallerDep) -> Caller:
    check_may_configure(caller)
    return caller


@router.post(
    "/kpis",
    summary="Import the service plan KPI table (CSV or XLSX)",
    dependencies=[Depends(_configurer)],
)
def import_kpis(
    file: Annotated[UploadFile, File(description="The KPI table, CSV or XLSX.")],
    session: SessionDep,
    commit: Annotated[
        bool, Query(description="Write the rows; without it the answer is only a preview.")
    ] = False,
    rows: Annotated[
        Literal["all", "changes", "problems"],
        Query(
            description="Which rows to list: all, those that change or have problems, or "
            "only those with problems (the counts always cover every row)."
        ),
    ] = "all",
) -> JSONResponse:
    """Each row's action (create, update, unchanged), the fields read from it with its original
    cells, and every cell that could not be read. With `commit=true` every row is written, or
    none is (422 naming each blocking cell by row and column)."""
    report, parsed = kpis.plan(session, read_upload(file), file.filename or "")
    return import_response(
        report, commit=commit, rows=rows, write=lambda: kpis.commit(session, parsed)
    )

"""HTTP routes of the savings library across councils: parse, call the service, shape the
response."""

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Form, Query, Request, Response, status
from fastapi.responses import JSONResponse

from common import crud
from common.audit import declare_no_change
from common.concurrency import require_if_match, set_etag
from common.db import PlatformSessionDep
from common.errors import NotFound
from common.identity import Caller, CallerDep, PlatformAdminDep, Role, require_roles
from common.importing import ImportCommit, ImportFile, ImportMapping, ImportRows, import_response
from common.mapping import shape_upload
from common.pagination import Page, PageDep
from common.periods import FinancialYearText
from common.writing import csv_response
from services.finance.deps import SessionDep
from services.finance.library import published, service
from services.finance.library.models import PublishedTable
from services.finance.library.rules import Theme
from services.finance.library.schemas import (
    LibraryPage,
    LibrarySettingRead,
    LibrarySettingSet,
    PublishedTableRead,
    ThemeRead,
    ThemeTable,
)
from services.finance.savings.models import SavingsLine
from services.finance.schemas import year_query

router = APIRouter(tags=["savings library"])
YearQuery = Annotated[
    FinancialYearText | None, Query(description='Only this financial year, "2023/24".')
]
Amount = Annotated[
    Literal["achieved", "planned"],
    Query(description="Which amount the table holds (the two are never added together)."),
]


@router.get("/library/themes", response_model=Page[ThemeRead])
def list_themes(caller: CallerDep, page: PageDep) -> Page[ThemeRead]:
    """The themes savings are filed under, in order (asked by a caller the gateway signed, as
    every service answer is)."""
    return crud.page_from([ThemeRead(theme=t, label=t.label) for t in Theme], page)


@router.get("/library/setting", response_model=LibrarySettingRead)
def get_setting(session: SessionDep, response: Response) -> LibrarySettingRead:
    """Whether this council shares its savings lines with other councils (off by default)."""
    setting = service.setting_of(session)
    if setting is None:
        set_etag(response, 0)
        return LibrarySettingRead(
            share_savings=False, council_name="", adult_population=None, version=0
        )
    return crud.one(response, setting, LibrarySettingRead)


AdminDep = Annotated[Caller, Depends(require_roles(Role.ADMIN))]


@router.put("/library/setting", response_model=LibrarySettingRead)
def set_setting(
    session: SessionDep,
    _admin: AdminDep,
    data: LibrarySettingSet,
    request: Request,
    response: Response,
) -> LibrarySettingRead:
    """Opt in to the library, or out (an administrator; If-Match with the setting's ETag, "0"
    before it was first set). Only the theme, description (title), amounts, year and status of
    each savings line leave the council; never people, notes or owners. Opting out takes the
    council's lines out of the library at once."""
    setting = service.setting_of(session)
    if setting is None:
        require_if_match(request, 0)
    else:
        crud.check_version(request, setting)
    setting = service.set_setting(session, setting=setting, data=data)
    return crud.one(response, setting, LibrarySettingRead)


@router.get("/library/savings", response_model=LibraryPage)
def library_savings(
    session: SessionDep,
    page: PageDep,
    theme: Theme | None = None,
    financial_year: YearQuery = None,
    council: Annotated[str | None, Query(max_length=200)] = None,
) -> LibraryPage:
    """What councils saved on a theme: published records with their source and the lines of
    councils that share them; totals by council and year, planned and achieved apart, each per
    head of adult population where one is held; and any published total that disagrees with
    its lines, beside them."""
    return service.library(
        session,
        theme=theme,
        financial_year=year_query(financial_year),
        council=council,
        page=page,
    )


@router.get("/library/savings/by-theme", response_model=ThemeTable)
def library_by_theme(
    session: SessionDep, financial_year: YearQuery = None, amount: Amount = "achieved"
) -> ThemeTable:
    """Councils down, themes across: each council's savings on each theme, with its total."""
    return service.theme_table(session, financial_year=year_query(financial_year), amount=amount)


@router.get("/library/savings/table.csv", response_class=Response)
def library_table_csv(
    session: SessionDep, financial_year: YearQuery = None, amount: Amount = "achieved"
) -> Response:
    """The theme table (`/library/savings/by-theme`) as CSV."""
    table = service.theme_table(session, financial_year=year_query(financial_year), amount=amount)
    return csv_response("savings-library.csv", *service.table_cells(table))


@router.get("/savings-lines/{line_id}/peers", response_model=LibraryPage)
def savings_line_peers(
    session: SessionDep, line_id: uuid.UUID, page: PageDep, financial_year: YearQuery = None
) -> LibraryPage:
    """Other councils' savings on this line's theme (published, and shared by councils)."""
    line = crud.get_or_404(session, SavingsLine, line_id, "savings line")
    return service.library(
        session,
        theme=service.line_theme(line),
        financial_year=year_query(financial_year),
        council=None,
        page=page,
        exclude_own=True,
    )


@router.get("/library/published-tables", response_model=Page[PublishedTableRead])
def list_published_tables(session: SessionDep, page: PageDep) -> Page[PublishedTableRead]:
    """The published tables in the library, newest first, with their source and flags."""
    tables = [
        PublishedTableRead.model_validate({**_fields(t), "lines": n})
        for t, n in service.published_tables(session)
    ]
    return crud.page_from(tables, page)


def _fields(table: PublishedTable) -> dict[str, object]:
    return {c.key: getattr(table, c.key) for c in PublishedTable.__table__.columns}


@router.post(
    "/library/published-tables/import",
    summary="Import a published table of councils' savings (platform administrators)",
)
def import_published_table(
    file: ImportFile,
    session: PlatformSessionDep,
    caller: PlatformAdminDep,
    source_document: Annotated[
        str,
        Form(
            max_length=500,
            description="The document the table was published in, when it has no such column.",
        ),
    ] = "",
    financial_year: YearQuery = None,
    commit: ImportCommit = False,
    rows: ImportRows = "all",
    mapping: ImportMapping = None,
) -> JSONResponse:
    """A national annex of councils' savings: council, theme or area, description, amount
    achieved or planned (units as written, "£2.1 million", "£m" headings), year, status, source
    document and page. Kept as published records with their source, apart from every council's
    own data; a stated total that disagrees with its lines is kept as the table's flag. Preview
    by default; with `commit=true` every row is kept, or none is."""
    shaped = shape_upload(file, published.COLUMNS, mapping)
    report, planned = published.plan(
        shaped,
        file.filename or "",
        source_document=source_document,
        financial_year=year_query(financial_year),
    )

    def write() -> None:
        published.commit(
            session,
            planned,
            shaped=shaped,
            filename=file.filename or "",
            source_document=source_document,
            caller=caller,
        )
        # Platform data is in no council's audit trail: the table records who kept it, when.
        declare_no_change("platform-data")

    return import_response(report, commit=commit, rows=rows, write=write, shape=shaped)


@router.delete("/library/published-tables/{table_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_published_table(
    session: PlatformSessionDep, _caller: PlatformAdminDep, table_id: uuid.UUID
) -> None:
    """Take a published table and its lines out of the library (platform administrators)."""
    table = session.get(PublishedTable, table_id)
    if table is None:
        raise NotFound("There is no published table with this id.")
    crud.delete(session, table)
    declare_no_change("platform-data")

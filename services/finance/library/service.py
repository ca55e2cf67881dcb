"""Use cases of the savings library: a council's choice to share, keeping what it shares in step
with its savings lines, and reading what other councils saved on a theme.

What a council shares is rewritten from its savings lines in the same transaction as any change
to them (a session hook, so no endpoint or import can forget): the line's theme, its title as
the description, its target and achieved-to-date for each year, and its status. Nothing else of
the line is copied, so its owner team, notes, projects and the people who wrote them never leave
the council. A council that has not opted in (the default) shares nothing: its rows are removed.
"""

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal
from itertools import chain
from types import SimpleNamespace
from typing import Any

from sqlalchemy import delete, event, insert, select
from sqlalchemy.orm import Session, UOWTransaction

from common.errors import FieldError, ValidationFailed
from common.pagination import PageParams
from common.read_shapes import read_shape
from services.finance.library.models import (
    LibrarySetting,
    PublishedSaving,
    PublishedTable,
    SharedSaving,
)
from services.finance.library.rules import Theme, chosen_or_suggested, per_head
from services.finance.library.schemas import (
    CouncilByTheme,
    CouncilYearTotal,
    LibraryLine,
    LibraryPage,
    LibrarySettingSet,
    ThemeRead,
    ThemeTable,
)
from services.finance.savings.models import SavingsEntry, SavingsLine, SavingsTarget
from services.finance.savings.schemas import Status

ZERO = Decimal("0.00")
_WATCHED = (SavingsLine, SavingsTarget, SavingsEntry, LibrarySetting)
_STALE = "library_stale"


def line_theme(line: SavingsLine) -> Theme:
    """A line's theme: as a person set it, else as its words suggest."""
    return chosen_or_suggested(line.theme, line.title, line.description)


# --- the council's setting ----------------------------------------------------------------------


def setting_of(session: Session) -> LibrarySetting | None:
    return session.get(LibrarySetting, session.info["org_id"])


def set_setting(
    session: Session, *, setting: LibrarySetting | None, data: LibrarySettingSet
) -> LibrarySetting:
    """Opt in or out; a council that shares must say the name other councils see."""
    if data.share_savings and not data.council_name:
        message = "Give the council's name: other councils see it beside your lines."
        raise ValidationFailed(message, errors=[FieldError("council_name", message)])
    setting = setting or LibrarySetting(org_id=session.info["org_id"])
    setting.share_savings = data.share_savings
    setting.council_name = data.council_name
    setting.adult_population = data.adult_population
    session.add(setting)
    session.flush()
    return setting


# --- keeping what a council shares in step ------------------------------------------------------


def _touches_library(objects: Iterable[object]) -> bool:
    return any(isinstance(o, _WATCHED) for o in objects)


def lines_changed(session: Session) -> None:
    """Say that the session changed savings lines in bulk (imports write rows the session's
    hooks never see), so what the council shares is rewritten before it commits."""
    session.info[_STALE] = True


@event.listens_for(Session, "after_flush")
def _note_change(session: Session, _flush: UOWTransaction) -> None:
    if session.info.get("org_id") and _touches_library(
        chain(session.new, session.dirty, session.deleted)
    ):
        session.info[_STALE] = True


@event.listens_for(Session, "before_commit")
def _share_before_commit(session: Session) -> None:
    if not session.info.get("org_id"):
        return
    if _touches_library(chain(session.new, session.dirty, session.deleted)):
        session.flush()
    if session.info.pop(_STALE, False):
        share(session)


@event.listens_for(Session, "after_soft_rollback")
def _forget(session: Session, _previous: Any) -> None:
    session.info.pop(_STALE, None)


def share(session: Session) -> int:
    """Rewrite what the session's council shares from its savings lines; the rows shared."""
    org_id: uuid.UUID = session.info["org_id"]
    session.execute(delete(SharedSaving).where(SharedSaving.council_org_id == org_id))
    setting = session.get(LibrarySetting, org_id)
    if setting is None or not setting.share_savings:
        return 0
    rows = [
        {
            "id": uuid.uuid4(),
            "council_org_id": org_id,
            "council": setting.council_name,
            "adult_population": setting.adult_population,
            **fields,
        }
        for line in session.scalars(select(SavingsLine))
        for fields in shared_fields(line)
    ]
    if rows:
        session.execute(insert(SharedSaving), rows)
    session.info.pop(_STALE, None)
    return len(rows)


def shared_fields(line: SavingsLine) -> list[dict[str, object]]:
    """The only fields of `line` that leave its council: one set for each year it has."""
    targets = {t.financial_year: t.in_year for t in line.targets}
    achieved: dict[str, Decimal] = {}
    for entry in sorted(line.entries, key=lambda e: e.month):
        achieved[entry.financial_year] = entry.achieved_to_date
    return [
        {
            "savings_line_id": line.id,
            "theme": line_theme(line).value,
            "description": line.title,
            "financial_year": year,
            "planned": targets.get(year),
            "achieved": achieved.get(year),
            "status": Status(line.status).value.replace("_", " "),
        }
        for year in sorted(set(targets) | set(achieved))
    ]


# --- reading the library ------------------------------------------------------------------------


def library(
    session: Session,
    *,
    theme: Theme | None,
    financial_year: str | None,
    council: str | None,
    page: PageParams,
    exclude_own: bool = False,
) -> LibraryPage:
    """What councils saved, published and shared alike: the page of lines asked for, the totals
    of every line that matches by council and year, and the published tables' flags."""
    lines = matching_lines(
        session,
        theme=theme,
        financial_year=financial_year,
        council=council,
        exclude_own=exclude_own,
    )
    tables = {line.table_id for line in lines if line.table_id}
    return LibraryPage(
        theme=theme,
        theme_label=theme.label if theme else "Every theme",
        financial_year=financial_year,
        items=lines[page.offset : page.offset + page.limit],
        total=len(lines),
        limit=page.limit,
        offset=page.offset,
        totals=council_totals(session, lines),
        reconciliations=flags_of(session, tables),
    )


def matching_lines(
    session: Session,
    *,
    theme: Theme | None,
    financial_year: str | None,
    council: str | None,
    exclude_own: bool = False,
) -> list[LibraryLine]:
    """Every line that matches, published first, by council, year and description."""
    own = session.info.get("org_id")
    published = select(PublishedSaving)
    shared = select(SharedSaving)
    if theme is not None:
        published = published.where(PublishedSaving.theme == theme.value)
        shared = shared.where(SharedSaving.theme == theme.value)
    if financial_year is not None:
        published = published.where(PublishedSaving.financial_year == financial_year)
        shared = shared.where(SharedSaving.financial_year == financial_year)
    if council is not None:
        published = published.where(PublishedSaving.council == council)
        shared = shared.where(SharedSaving.council == council)
    if exclude_own and own is not None:
        shared = shared.where(SharedSaving.council_org_id != own)
    found = [_library_line(p, your_council=False) for p in session.scalars(published)]
    found += [
        _library_line(s, your_council=s.council_org_id == own) for s in session.scalars(shared)
    ]
    return sorted(
        found,
        key=lambda line: (
            line.source != "published",
            line.council,
            line.financial_year,
            line.description,
        ),
    )


_NOT_PUBLISHED = SimpleNamespace(area="", source_document="", page="", table_id=None)
"""What a council's shared line shows where a published record names its source."""


def _library_line(row: PublishedSaving | SharedSaving, *, your_council: bool) -> LibraryLine:
    """A saving from either table as the library lists it; a council's shared line has no
    published source."""
    theme = Theme(row.theme)
    return read_shape(
        LibraryLine,
        row,
        _NOT_PUBLISHED,
        source="published" if isinstance(row, PublishedSaving) else "council",
        theme=theme,
        theme_label=theme.label,
        your_council=your_council,
    )


def council_totals(session: Session, lines: Sequence[LibraryLine]) -> list[CouncilYearTotal]:
    """Each council's planned and achieved savings in each year (never added together), and
    each per head of the council's adult population where one is held."""
    populations = _populations(session)
    groups: dict[tuple[str, str], list[LibraryLine]] = defaultdict(list)
    for line in lines:
        groups[(line.council, line.financial_year)].append(line)
    totals = []
    for (council, year), members in sorted(groups.items()):
        planned = sum((m.planned or ZERO for m in members), ZERO)
        achieved = sum((m.achieved or ZERO for m in members), ZERO)
        population = populations.get(council)
        totals.append(
            CouncilYearTotal(
                council=council,
                financial_year=year,
                lines=len(members),
                planned=planned,
                achieved=achieved,
                adult_population=population,
                planned_per_head=per_head(planned, population),
                achieved_per_head=per_head(achieved, population),
            )
        )
    return totals


def _populations(session: Session) -> dict[str, int]:
    """The adult population held for each council: as it shares it, else as a published table
    gave it (the latest table's figure)."""
    found: dict[str, int] = {}
    published = session.execute(
        select(PublishedSaving.council, PublishedSaving.adult_population)
        .join(PublishedTable)
        .where(PublishedSaving.adult_population.is_not(None))
        .order_by(PublishedTable.imported_at)
    )
    for council, population in published:
        if population is not None:
            found[council] = population
    shared = session.execute(
        select(SharedSaving.council, SharedSaving.adult_population)
        .where(SharedSaving.adult_population.is_not(None))
        .distinct()
    )
    for council, population in shared:
        if population is not None:
            found[council] = population
    return found


def flags_of(session: Session, table_ids: Iterable[uuid.UUID]) -> list[dict[str, Any]]:
    """The stated totals that disagree with their lines, of the tables named, with their source."""
    wanted = list(table_ids)
    if not wanted:
        return []
    tables = session.scalars(
        select(PublishedTable).where(PublishedTable.id.in_(wanted)).order_by(PublishedTable.id)
    )
    return [
        {**flag, "table_id": str(t.id), "source_document": t.source_document}
        for t in tables
        for flag in t.reconciliations
    ]


def theme_table(session: Session, *, financial_year: str | None, amount: str) -> ThemeTable:
    """Councils down, themes across: each council's `amount` ("achieved" or "planned") on each
    theme, with a total for each council (planned and achieved are never added together)."""
    lines = matching_lines(session, theme=None, financial_year=financial_year, council=None)
    cells: dict[str, dict[Theme, Decimal]] = defaultdict(dict)
    for line in lines:
        value = line.achieved if amount == "achieved" else line.planned
        if value is not None:
            by_theme = cells[line.council]
            by_theme[line.theme] = by_theme.get(line.theme, ZERO) + value
    return ThemeTable(
        financial_year=financial_year,
        amount="planned" if amount == "planned" else "achieved",
        themes=[ThemeRead(theme=t, label=t.label) for t in Theme],
        councils=[
            CouncilByTheme(council=council, by_theme=by_theme, total=sum(by_theme.values(), ZERO))
            for council, by_theme in sorted(cells.items())
        ],
    )


def table_cells(table: ThemeTable) -> tuple[list[str], list[list[object]]]:
    """The theme table as a header and rows for a CSV or a workbook."""
    header = ["Council", *(t.label for t in table.themes), f"Total {table.amount}"]
    rows: list[list[object]] = [
        [c.council, *(c.by_theme.get(t.theme) for t in table.themes), c.total]
        for c in table.councils
    ]
    return header, rows


def published_tables(session: Session) -> list[tuple[PublishedTable, int]]:
    counts: dict[uuid.UUID, int] = defaultdict(int)
    for table_id in session.scalars(select(PublishedSaving.table_id)):
        counts[table_id] += 1
    tables = session.scalars(select(PublishedTable).order_by(PublishedTable.imported_at.desc()))
    return [(t, counts[t.id]) for t in tables]

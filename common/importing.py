"""Import reports: what an import will do with each row of an upload, the problems it found, and
the answer an import endpoint gives (a preview, or everything written, or nothing and a 422)."""

from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Literal, Protocol, Self, TypeVar

from fastapi import Depends, File, Form, Query, UploadFile
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict
from pydantic import Field as PydanticField
from sqlalchemy.orm import Session

from common.audit import declare_no_change, record_created, record_updated
from common.bulk import changed_row, import_conflict, insert_rows, update_rows
from common.errors import PROBLEM_JSON, FieldError, ValidationFailed
from common.headers import Column, HeaderMatch, match_headers, missing_columns, parse_yes_no
from common.mapping import Shaped, reconciliation_json, shape_upload
from common.money import parse_money
from common.periods import Frequency, Period, read_period
from common.quantities import header_unit
from common.saved_mappings import MappingMemory
from common.spreadsheets import Table
from common.writing import column_letters

K = TypeVar("K")


class ProblemKind(StrEnum):
    """What kind of problem a cell of an import has, for a program to act on (the message is
    for people). The kinds of frictionless-py's error types, in the council's terms."""

    MISSING_CELL = "missing_cell"
    """A cell the row needs is blank: a title, a name, a date."""
    NOT_A_NUMBER = "not_a_number"
    """A figure or an amount that cannot be read as one."""
    NOT_A_DATE = "not_a_date"
    """A date, month or period that cannot be read as one."""
    NOT_A_CHOICE = "not_a_choice"
    """A cell that must be one of a list (a status, a unit, Y or N) and is none of them."""
    TOO_LONG = "too_long"
    UNKNOWN_REFERENCE = "unknown_reference"
    """The row names a record (a measure, a project, a savings line) that does not exist."""
    DUPLICATE = "duplicate"
    """Another row of the file is for the same record or period."""
    INCONSISTENT = "inconsistent"
    """The row disagrees with another row of the same record, or with itself."""
    CLOSED_PERIOD = "closed_period"
    """The period is closed, so its figures are locked."""
    NOT_ALLOWED = "not_allowed"
    """The caller may not make this change."""
    INVALID = "invalid"
    """A rule of the record refuses the value (achieved above forecast, a percentage over 100)."""
    DEFAULTED = "defaulted"
    """A warning: a value was guessed or defaulted, or the cell was read in part: please check."""
    TOTAL_MISMATCH = "total_mismatch"
    """A stated total that its lines do not add up to (the report's `reconciliations`)."""


@dataclass
class CellProblem:
    """What could not be read in one cell (`blocking` stops the import; otherwise a warning)."""

    column: str
    message: str
    kind: ProblemKind
    blocking: bool = True


@dataclass
class RowReport:
    """One row of an upload: what the import will do with it and what it read from it."""

    row: int
    original: dict[str, str]
    action: str = "create"
    key: str = ""
    fields: dict[str, object] = field(default_factory=dict)
    problems: list[CellProblem] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    links_not_made: list[str] = field(default_factory=list)

    @property
    def blocked(self) -> bool:
        return any(p.blocking for p in self.problems)

    def problem(
        self, column: str, message: str, kind: ProblemKind, *, blocking: bool = True
    ) -> None:
        self.problems.append(CellProblem(column, message, kind, blocking))

    def money(self, column: str, text: str) -> Decimal | None:
        """`text` as an amount of money under the unit of its `column`'s heading ("Budget
        2025/26 £m"), or None with a not-a-number problem saying why it cannot be read."""
        try:
            return parse_money(text, header_unit(column))
        except ValueError as error:
            self.problem(column, str(error), ProblemKind.NOT_A_NUMBER)
            return None

    def repeats(self, seen: dict[K, int], key: K, column: str, what: str) -> None:
        """A duplicate problem when an earlier row of the file was for `key` ("repeats `what`
        of row 4"); `seen` keeps the first row of each key."""
        if key in seen:
            self.problem(column, f"repeats {what} of row {seen[key]}", ProblemKind.DUPLICATE)
        seen.setdefault(key, self.row)

    def changes(self, changed: list[str]) -> str:
        """ "update", with the `changed` fields listed among the row's fields, or "unchanged"
        when there are none."""
        if changed:
            self.fields["changes"] = changed
        return "update" if changed else "unchanged"

    def compare(
        self,
        stored: object,
        wanted: Mapping[str, object],
        keys: Iterable[str] | None = None,
        *,
        more: Sequence[str] = (),
    ) -> str:
        """What the row does to the `stored` record (`changes`): it changes each field of
        `wanted` (of `keys` only, in their order, when given) whose value the record does not
        hold, then the `more` the importer found (a target, a link)."""
        keys = wanted if keys is None else keys
        return self.changes(
            [k for k in keys if k in wanted and getattr(stored, k) != wanted[k]] + list(more)
        )

    def yes_no(self, column: str, text: str) -> bool:
        """A Y/N cell (`parse_yes_no`): False, with a not-a-choice problem, when it says
        neither."""
        answer = parse_yes_no(text)
        if answer is None:
            self.problem(column, f"could not read '{text}' as Y or N", ProblemKind.NOT_A_CHOICE)
        return bool(answer)

    def as_json(self) -> dict[str, object]:
        return {
            "row": self.row,
            "action": "error" if self.blocked else self.action,
            "key": self.key,
            "fields": {k: _json_value(v) for k, v in self.fields.items()},
            "original": self.original,
            "problems": [
                {"column": p.column, "kind": p.kind, "message": p.message, "blocking": p.blocking}
                for p in self.problems
            ],
            "links": self.links,
            "links_not_made": self.links_not_made,
        }


def _json_value(value: object) -> object:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


@dataclass
class ImportReport:
    """The preview (or the record) of an import, row by row."""

    kind: str
    filename: str
    columns: dict[str, str]
    unmatched_columns: list[str]
    rows: list[RowReport] = field(default_factory=list)
    committed: bool = False
    shape: Shaped | None = None
    """How the table was read before its rows: the mapping, totals, sections (`common.mapping`)."""
    given: dict[str, str] = field(default_factory=dict)
    """What the person gave for the whole file because it has no column for it: the `period`."""

    @classmethod
    def of(
        cls, kind: str, filename: str, match: HeaderMatch, more: Mapping[str, str] | None = None
    ) -> "ImportReport":
        """The report of an import whose fields `match` found, with `more` columns it reads
        besides (a heading for each year, "target 2025/26"); the others are unmatched."""
        columns = dict(match.headers) | dict(more or {})
        unmatched = [h for h in match.unmatched if h not in columns.values()]
        return cls(kind, filename, columns, unmatched)

    def each_row(
        self, table: Table, match: HeaderMatch
    ) -> Iterator[tuple[RowReport, dict[str, str], list[str]]]:
        """Each row of `table` with its report (added to this one), its cells by field key,
        and all its cells."""
        for number, cells in zip(table.row_numbers, table.rows, strict=True):
            row = RowReport(row=number, original=row_originals(table.headers, cells))
            self.rows.append(row)
            yield row, {key: cells[i] for key, i in match.positions.items()}, cells

    @property
    def blocked_rows(self) -> list[RowReport]:
        return [r for r in self.rows if r.blocked]

    def counts(self) -> dict[str, int]:
        counts = {"rows": len(self.rows), "create": 0, "update": 0, "unchanged": 0, "error": 0}
        for row in self.rows:
            counts["error" if row.blocked else row.action] += 1
        counts["warnings"] = sum(1 for r in self.rows for p in r.problems if not p.blocking)
        return counts

    def as_json(self, rows: str = "all") -> dict[str, object]:
        """The report; `rows` "problems" keeps only rows with a problem, "changes" also those
        created or updated (the counts always cover every row)."""
        shown = [
            r
            for r in self.rows
            if rows == "all" or r.problems or (rows == "changes" and r.action != "unchanged")
        ]
        return {
            "kind": self.kind,
            "filename": self.filename,
            "committed": self.committed,
            "counts": self.counts(),
            "columns": self.columns,
            "unmatched_columns": self.unmatched_columns,
            "given": self.given,
            **(
                {
                    "mapping": self.shape.mapping_json(self.columns),
                    "fields": self.shape.fields_json(),
                    **self.shape.as_json(),
                }
                if self.shape
                else {}
            ),
            **(
                {
                    "reconciliations": [
                        reconciliation_json(r, self.shape.table)
                        | {"kind": ProblemKind.TOTAL_MISMATCH}
                        for r in self.shape.reconciliations
                    ]
                }
                if self.shape
                else {}
            ),
            "rows": [r.as_json() for r in shown],
        }

    def field_errors(self, limit: int = 200) -> list[dict[str, str]]:
        """The blocking problems as problem+json `errors`: "rows.7.<column>", a plain message."""
        errors = [
            {"field": f"rows.{r.row}.{p.column}", "message": f"Row {r.row}: {p.message}"}
            for r in self.rows
            for p in r.problems
            if p.blocking
        ]
        return errors[:limit]


def read_header(
    table: Table, columns: Sequence[Column], what: str, *, taken: Collection[int] = ()
) -> HeaderMatch:
    """Which column of `table` holds which of `columns` (as the person mapped them, else by
    their wording), the `taken` positions (a value for each period) left aside; a 422 naming each
    required column the file lacks, for `what` ("a savings line")."""
    headers = ["" if i in taken else h for i, h in enumerate(table.headers)]
    match = match_headers(headers, columns, table.mapping)
    if match.missing:
        raise missing_columns(match.missing, what)
    return match


Change = tuple[dict[str, Any], dict[str, Any]]
"""A row as it was and as it will be (`common.bulk.changed_row`)."""


class Matched(Protocol):
    """A planned row of an import: its report, and the stored record it matched, if any."""

    report: RowReport
    existing: Any


M = TypeVar("M", bound=Matched)


@dataclass
class Writes:
    """What an import writes to one table: the rows to insert, and each change of a stored row."""

    model: type[Any]
    new: list[dict[str, Any]] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)

    @classmethod
    def of(
        cls,
        model: type[Any],
        rows: Iterable[M],
        values: Callable[[M], Mapping[str, Any]],
        new: Callable[[M], Mapping[str, Any]],
    ) -> Self:
        """What an import writes to `model` for each of `rows` that changes something: where
        nothing is stored, a new row (what `new` gives it, then its `values`); else the change of
        the stored record (an ORM object as read) to its `values` (`common.bulk.changed_row`).
        Every change sets the same columns, each field any changed row brings, so one bulk
        update writes them all."""
        writing = [(row, values(row)) for row in rows if row.report.action != "unchanged"]
        keys = sorted({k for row, wanted in writing if row.existing is not None for k in wanted})
        return cls(
            model,
            [{**new(row), **wanted} for row, wanted in writing if row.existing is None],
            [
                changed_row(row.existing, wanted, keys)
                for row, wanted in writing
                if row.existing is not None
            ],
        )


def write_rows(session: Session, what: str, *writes: Writes) -> None:
    """Write an import in bulk (`common.bulk`), each row with its audit row: every change first,
    so that a row someone changed since the file was read refuses it all (the 409 names `what`,
    "savings lines"), then the new rows, table by table in the order given (a line before its
    targets). The session then forgets what it read, which was changed behind its back."""
    with import_conflict(what):
        for write in writes:
            update_rows(session, write.model, [after for _, after in write.changes])
    for write in writes:
        record_updated(session, write.model, write.changes)
    for write in writes:
        record_created(session, write.model, insert_rows(session, write.model, write.new))
    if any(write.new or write.changes for write in writes):
        session.expire_all()


def row_originals(headers: Sequence[str], cells: Sequence[str]) -> dict[str, str]:
    """A row's cells by their header, as written (headerless columns are named by letter)."""
    return {
        (header or f"Column {column_letters(i)}"): cell
        for i, (header, cell) in enumerate(zip(headers, cells, strict=True))
    }


# The answer's schema, for the OpenAPI document (`IMPORT_RESPONSES`); `as_json` writes it.


class _Answer(BaseModel):
    model_config = ConfigDict(extra="allow")


class ImportProblemRead(_Answer):
    """A problem of one cell: its column, its kind, a message for people, and whether it stops
    the import (otherwise it is a warning)."""

    column: str
    kind: ProblemKind
    message: str
    blocking: bool


class ImportRowRead(_Answer):
    """One row of the file: what the import does with it, and what it read from it."""

    row: int = PydanticField(description="The row's number in the spreadsheet, header row 1.")
    action: Literal["create", "update", "unchanged", "error"]
    key: str
    fields: dict[str, Any] = PydanticField(description="What the row's cells were read as.")
    original: dict[str, str] = PydanticField(description="The row's cells as written.")
    problems: list[ImportProblemRead]
    links: list[str]
    links_not_made: list[str]


class ImportColumnRead(_Answer):
    """ "We read your columns as…": a heading, the field it was read as, and whether the person
    chose it (in `mapping`)."""

    heading: str
    field: str
    label: str
    chosen: bool


class ImportFieldRead(_Answer):
    """A field a column may be mapped to."""

    key: str
    label: str
    required: bool


class ImportRowLabelRead(_Answer):
    row: int
    label: str


class ImportReconciliationRead(_Answer):
    """A stated total its lines do not add up to: both figures by column, in pounds."""

    row: int
    label: str
    sheet: str
    stated: dict[str, str]
    lines: dict[str, str]
    columns: list[str]
    message: str
    kind: Literal[ProblemKind.TOTAL_MISMATCH]


class ImportReportRead(_Answer):
    """An import's report: the preview, or what was written."""

    kind: str
    filename: str
    committed: bool
    counts: dict[str, int]
    columns: dict[str, str] = PydanticField(description="Each field read, and its heading.")
    unmatched_columns: list[str]
    given: dict[str, str] = PydanticField(
        description="What was given for the whole file because it has no column: `period`."
    )
    mapping: list[ImportColumnRead] = []
    fields: list[ImportFieldRead] = []
    totals: list[ImportRowLabelRead] = []
    sections: list[ImportRowLabelRead] = []
    reconciliations: list[ImportReconciliationRead] = []
    rows: list[ImportRowRead]


IMPORT_SCHEMAS = frozenset(
    [
        "ProblemKind",
        *(
            m.__name__
            for m in (
                ImportProblemRead,
                ImportRowRead,
                ImportColumnRead,
                ImportFieldRead,
                ImportRowLabelRead,
                ImportReconciliationRead,
                ImportReportRead,
            )
        ),
    ]
)
"""The schemas of an import's answer: every service writes them the same way."""

IMPORT_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"model": ImportReportRead, "description": "The report, row by row."}
}
"""The answers of an import endpoint, for its route's `responses`."""


ImportFile = Annotated[UploadFile, File(description="The table, CSV or XLSX.")]
"""An import endpoint's uploaded table."""
ImportCommit = Annotated[
    bool, Query(description="Write the rows; without it the answer is only a preview.")
]
"""An import endpoint's `commit` flag (default False: a preview)."""
ImportRows = Annotated[
    Literal["all", "changes", "problems"],
    Query(
        description="Which rows to list: all, those that change or have problems, or only "
        "those with problems (the counts always cover every row)."
    ),
]
"""Which rows an import's answer lists (`ImportReport.as_json`); default "all"."""


ImportMapping = Annotated[
    str | None,
    Form(
        description="The columns as the person mapped them, a JSON object of column heading to "
        'field key: {"Savings area": "title", "Notes": "not-imported", "2024/25": "each-year"}. '
        "The preview's `mapping` lists each heading with the field it was read as, and `fields` "
        "the keys to choose from. Headings left out are matched by their wording. Without a "
        "mapping, the one the council saved for a file with the same headings is used (the "
        "answer's `saved_mapping` says which); `{}` uses none. An import written with a mapping "
        "saves it for the next file with these headings (`GET /saved-mappings`)."
    ),
]
"""An import endpoint's `mapping` form field (`common.mapping.read_mapping`)."""


ImportPeriod = Annotated[
    str | None,
    Form(
        description="The one period every figure of the file is for, when it has no period "
        'column: a month "2025-09", a quarter "2025/26 Q2" or a year "2025/26", as the API '
        'writes them or as councils do ("September 2025", "Q2 2025/26"). A file with no '
        "period column and no `period` is refused (422 on `period`)."
    ),
]
"""An import endpoint's `period` form field (`read_period_field`)."""


def read_period_field(text: str | None, *, months_only: bool = False) -> Period | None:
    """The `period` form field as a period, or None when it is blank; a 422 on `period` when it
    names none (or, with `months_only`, names a quarter or a year)."""
    if text is None or not text.strip():
        return None
    try:
        period = read_period(text)
    except ValueError as error:
        message = str(error)[0].upper() + str(error)[1:]
        raise ValidationFailed(message, errors=[FieldError("period", message)]) from None
    if months_only and period.frequency is not Frequency.MONTHLY:
        message = f"'{text.strip()}' is not a month: write the month, like \"2025-09\"."
        raise ValidationFailed(message, errors=[FieldError("period", message)])
    return period


def import_response(
    report: ImportReport,
    *,
    commit: bool,
    rows: str,
    write: Callable[[], None],
    shape: Shaped | None = None,
) -> JSONResponse:
    """The answer to an import: the preview; or, with `commit`, everything written by `write`, or
    nothing and a 422 problem+json naming each blocking cell, with the row-by-row report beside.
    `shape` adds how the table was read: the mapping, its totals and their reconciliation."""
    report.shape = shape
    if commit and report.blocked_rows:
        numbers = ", ".join(str(r.row) for r in report.blocked_rows[:20])
        more = " and more" if len(report.blocked_rows) > 20 else ""
        body = {
            "type": "about:blank",
            "title": "Unprocessable Content",
            "status": 422,
            "detail": f"Nothing was imported: rows {numbers}{more} have problems to fix.",
            "errors": report.field_errors(),
            "report": report.as_json(rows),
        }
        return JSONResponse(body, status_code=422, media_type=PROBLEM_JSON)
    if not commit:
        declare_no_change("preview")
    elif all(r.action == "unchanged" for r in report.rows):
        declare_no_change("unchanged")  # an upload with nothing new rightly writes no audit row
    if commit:
        write()
        if shape is not None:
            shape.keep_mapping()
        report.committed = True
    return JSONResponse(report.as_json(rows))


P = TypeVar("P")


@dataclass
class ImportUpload:
    """What every import endpoint is sent, as a dependency (`Annotated[ImportUpload,
    Depends()]`): the table and its `mapping` (form fields), whether to write it and which rows
    to list (query). An import that takes more (a `period`, a `frequency`) or describes its file
    otherwise subclasses it: its fields follow these in the request, as FastAPI reads them."""

    file: ImportFile
    commit: ImportCommit = False
    rows: ImportRows = "all"
    mapping: ImportMapping = None

    @property
    def filename(self) -> str:
        return self.file.filename or ""

    def answer(
        self,
        memory: MappingMemory,
        columns: Sequence[Column],
        plan: Callable[[Table, str], tuple[ImportReport, P]],
        write: Callable[[P, Shaped], None],
    ) -> JSONResponse:
        """The import of this upload: the table shaped for `columns` with the mapping given or
        the one `memory` saved (`common.mapping.shape_upload`), its rows planned by `plan`
        (given the table and the file's name), and the answer (`import_response`), with `write`
        writing what was planned when the rows are to be written."""
        shaped = shape_upload(self.file, columns, self.mapping, memory=memory)
        report, planned = plan(shaped.table, self.filename)
        return import_response(
            report,
            commit=self.commit,
            rows=self.rows,
            write=lambda: write(planned, shaped),
            shape=shaped,
        )


ImportUploadDep = Annotated[ImportUpload, Depends()]
"""An import endpoint's upload, when it takes nothing more."""


@dataclass
class PeriodUpload(ImportUpload):
    """An upload whose figures may all be for one `period` the file does not name
    (`read_period_field`)."""

    period: ImportPeriod = None

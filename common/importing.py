"""Import reports: what an import will do with each row of an upload, the problems it found, and
the answer an import endpoint gives (a preview, or everything written, or nothing and a 422)."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Annotated, Literal

from fastapi import File, Form, Query, UploadFile
from fastapi.responses import JSONResponse

from common.audit import declare_no_change
from common.errors import PROBLEM_JSON
from common.mapping import Shaped
from common.writing import column_letters


@dataclass
class CellProblem:
    """What could not be read in one cell (`blocking` stops the import; otherwise a warning)."""

    column: str
    message: str
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

    def problem(self, column: str, message: str, *, blocking: bool = True) -> None:
        self.problems.append(CellProblem(column, message, blocking))

    def as_json(self) -> dict[str, object]:
        return {
            "row": self.row,
            "action": "error" if self.blocked else self.action,
            "key": self.key,
            "fields": {k: _json_value(v) for k, v in self.fields.items()},
            "original": self.original,
            "problems": [
                {"column": p.column, "message": p.message, "blocking": p.blocking}
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
            **(
                {
                    "mapping": self.shape.mapping_json(self.columns),
                    "fields": self.shape.fields_json(),
                    **self.shape.as_json(),
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


def row_originals(headers: Sequence[str], cells: Sequence[str]) -> dict[str, str]:
    """A row's cells by their header, as written (headerless columns are named by letter)."""
    return {
        (header or f"Column {column_letters(i)}"): cell
        for i, (header, cell) in enumerate(zip(headers, cells, strict=True))
    }


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

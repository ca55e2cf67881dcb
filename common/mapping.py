"""The step between reading a table and an importer's fields: which column holds which field
(guessed from the headings, or as the person mapped it), the section-heading rows and grouping
columns that set a field on the rows under them, and the total rows, which are never imported
but reconciled against the lines they total.

A mapping is heading → field key, or one of `NOT_IMPORTED`, `EACH_YEAR`, `EACH_MONTH`. It is the
answer to the preview's "we read your columns as…", so the API and the page take the same one.
"""

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from fastapi import UploadFile

from common.errors import FieldError, ValidationFailed
from common.headers import Column, match_headers, missing_columns
from common.periods import Frequency, Period
from common.quantities import Unit, header_unit, read_amount
from common.saved_mappings import MappingMemory, Recalled
from common.shapes import (
    Reconciliation,
    classify_rows,
    month_columns,
    month_of,
    period_of,
    period_words,
    year_columns,
    year_of,
)
from common.spreadsheets import SheetChoice, Table, read_upload

NOT_IMPORTED = "not-imported"
EACH_YEAR = "each-year"
EACH_MONTH = "each-month"
_WIDE = {EACH_YEAR: "a value for each year", EACH_MONTH: "a value for each month"}
_AMOUNTS = frozenset(["money", "quantity"])


@dataclass
class Shaped:
    """A table ready for an importer's rules: total rows taken out (and reconciled), section
    rows turned into the grouping field of the rows under them, blanks of a grouping column
    filled from above, and the person's mapping kept for `match_headers`."""

    table: Table
    columns: Sequence[Column]
    headings: list[str] = field(default_factory=list)
    """Every heading of the file, those not imported too."""
    reconciliations: list[Reconciliation] = field(default_factory=list)
    totals: list[tuple[int, str]] = field(default_factory=list)
    sections: list[tuple[int, str]] = field(default_factory=list)
    given: dict[str, str] | None = None
    """The mapping the request gave (None: it gave none, and a saved one may have been used)."""
    recalled: Recalled | None = None
    """The mapping saved for these headings, used because the request gave none."""
    memory: MappingMemory | None = None

    def keep_mapping(self) -> None:
        """Save the mapping the request gave for the next file with these headings (called
        once its import is written: a person confirms a mapping by importing with it)."""
        if self.memory is not None and self.given:
            self.memory.keep(self.headings, self.given)

    def mapping_json(
        self, read: Mapping[str, str], wide: Mapping[str, str] | None = None
    ) -> list[dict[str, object]]:
        """ "We read your columns as…": each heading, the field it went to (`read` is the
        importer's field → heading; `wide`, heading → `EACH_YEAR` or `EACH_MONTH`, the columns
        an importer would read a value each from), and the choices a person may change it to.
        The page sends every heading back as it stands, so what this offers is what the import
        does with a heading the person leaves alone."""
        labels = {c.key: c.label for c in self.columns}
        by_heading = {heading: key for key, heading in read.items()}
        wide = wide or {}
        answer: list[dict[str, object]] = []
        for heading in self.headings:
            if not heading:
                continue
            key = (
                self.table.mapping.get(heading)
                or wide.get(heading)
                or by_heading.get(heading)
                or NOT_IMPORTED
            )
            if key not in labels and key not in _WIDE and key != NOT_IMPORTED:
                # "Budget 2025/26" holds a year; "Apr-25", "M7" a month and "Q1 2025/26" a quarter
                period = period_of(heading) or period_of(key)
                yearly = period is not None and period.frequency is Frequency.ANNUAL
                key = EACH_YEAR if yearly else EACH_MONTH
            answer.append(
                {
                    "heading": heading,
                    "field": key,
                    "label": labels.get(key) or _WIDE.get(key) or "not imported",
                    "chosen": heading in self.table.mapping,
                }
            )
        return answer

    def fields_json(self) -> list[dict[str, object]]:
        """The choices of the mapping step: every field, then the wide choices, then none."""
        return [
            *({"key": c.key, "label": c.label, "required": c.required} for c in self.columns),
            *({"key": k, "label": v, "required": False} for k, v in _WIDE.items()),
            {"key": NOT_IMPORTED, "label": "not imported", "required": False},
        ]

    def as_json(self) -> dict[str, object]:
        return {
            "totals": [{"row": r, "label": label} for r, label in self.totals],
            "sections": [{"row": r, "label": label} for r, label in self.sections],
            "reconciliations": [reconciliation_json(r, self.table) for r in self.reconciliations],
            "saved_mapping": self.recalled.as_json() if self.recalled else None,
        }


def reconciliation_json(reconciliation: Reconciliation, table: Table) -> dict[str, object]:
    """A stated total that disagrees with its lines, as the preview and the stored flag say it."""
    return {
        "row": reconciliation.row,
        "label": reconciliation.label,
        "sheet": table.sheet,
        "stated": {c: str(v) for c, v in reconciliation.stated.items()},
        "lines": {c: str(reconciliation.lines.get(c, 0)) for c in reconciliation.stated},
        "columns": reconciliation.columns,
        "message": reconciliation.message(),
    }


@dataclass(frozen=True)
class PeriodColumn:
    """A column of a wide table holding one value a row for one period ("Target 2025/26 £k",
    "Apr-25", "Q1 2025/26"): where it is, the period, the unit its heading gives its cells, and
    the heading's other words, by which an importer tells a target from an achievement."""

    position: int
    heading: str
    period: Period
    unit: Unit
    words: frozenset[str]
    chosen: bool = False
    """The person mapped it to "a value for each year" or "… each month"."""


def period_columns(
    headers: Sequence[str],
    mapping: Mapping[str, str],
    *,
    fits: Callable[[frozenset[str]], bool],
    frequencies: Sequence[Frequency] = tuple(Frequency),
) -> list[PeriodColumn]:
    """The columns of a table that hold a value for each year, quarter or month: those the
    person mapped to "a value for each year/month", and those whose heading names a period of
    one of `frequencies` with other words `fits` accepts ("Target 2025/26" for targets, "Apr-25"
    for actuals). A column mapped to a field is never one; a column mapped to a value for each
    period that names none is a 422 on its mapping.

    >>> [(c.heading, str(c.period)) for c in period_columns(
    ...     ["KPI", "Target 2025/26 %", "2026/27", "Notes 2025"], {}, fits=lambda w: w <= {"target"}
    ... )]
    [('Target 2025/26 %', '2025/26'), ('2026/27', '2026/27')]
    """
    found: list[PeriodColumn] = []
    errors: list[FieldError] = []
    for position, heading in enumerate(headers):
        chosen = mapping.get(heading) in _WIDE
        if heading in mapping and not chosen:
            continue
        period = period_of(heading)
        if period is None or (not chosen and period.frequency not in frequencies):
            if chosen:
                errors.append(
                    FieldError(
                        f"mapping.{heading}",
                        f"'{heading}' names no year, quarter or month, so it cannot hold a "
                        'value for each: give its period in the heading ("2025/26", "Apr-25").',
                    )
                )
            continue
        words = period_words(heading)
        if chosen or fits(words):
            found.append(
                PeriodColumn(position, heading, period, header_unit(heading), words, chosen)
            )
    if errors:
        raise ValidationFailed(
            "The column mapping cannot be used: " + errors[0]["message"], errors=errors
        )
    return found


def wide_columns(headings: Sequence[str]) -> dict[str, str]:
    """The headings an importer reads one value each from, as the refusal of a file without a
    required column cannot ask the importer: two or more years ("Budget 2024/25 £m",
    "Budget 2025/26 £m") are `EACH_YEAR`, two or more months `EACH_MONTH`. A single dated
    heading ("Budget 2025/26") is an ordinary field's, matched by its wording.

    >>> wide_columns(["Area", "Budget 2024/25 £m", "2025/26", "Apr-25"])
    {'Budget 2024/25 £m': 'each-year', '2025/26': 'each-year'}
    """
    years = year_columns(headings)
    months = month_columns(headings)
    found = {headings[i]: EACH_YEAR for i in years} if len(set(years.values())) > 1 else {}
    if len(set(months.values())) > 1:
        found |= {headings[i]: EACH_MONTH for i in months}
    return found


def read_mapping(text: str | None) -> dict[str, str]:
    """The `mapping` form field: a JSON object of heading → field key (or "not-imported",
    "each-year", "each-month"). A 422 (field "mapping") when it is not one."""
    if not text or not text.strip():
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        value = None
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        message = 'The mapping must be a JSON object of column heading to field, {"Area": "name"}.'
        raise ValidationFailed(message, errors=[FieldError("mapping", message)])
    return value


def shape_table(
    table: Table, columns: Sequence[Column], mapping: Mapping[str, str] | None = None
) -> Shaped:
    """`table` shaped for an importer that reads `columns`, with the person's `mapping`."""
    mapping = dict(mapping or {})
    _check_mapping(table, columns, mapping)
    headings = list(table.headers)
    kept = [i for i, h in enumerate(headings) if mapping.get(h) != NOT_IMPORTED]
    table = replace(
        table,
        headers=[headings[i] for i in kept],
        rows=[[cells[i] for i in kept] for cells in table.rows],
        mapping=mapping,
    )
    match = match_headers(table.headers, columns, mapping)
    if match.missing:  # the mapping step's answer comes back with the refusal, to correct it
        refusal = missing_columns(match.missing, "this import")
        refusal.extensions = {
            "mapping": Shaped(table, columns, headings).mapping_json(
                match.headers, wide_columns(headings)
            ),
            "fields": Shaped(table, columns).fields_json(),
        }
        raise refusal
    by_key = {c.key: c for c in columns}
    amounts = [
        i
        for i, heading in enumerate(table.headers)
        if heading
        and (
            header_unit(heading).kind == "money"
            or mapping.get(heading) in _WIDE
            or (year_of(heading) and heading not in match.headers.values())
            or month_of(heading)
            or any(p == i and by_key[k].type in _AMOUNTS for k, p in match.positions.items())
            or (i not in match.positions.values() and _all_amounts(table.rows, i))
        )
    ]
    shape = classify_rows(
        table.headers, list(zip(table.row_numbers, table.rows, strict=True)), amounts
    )
    shaped = Shaped(table, columns, headings, shape.reconciliations)
    lines = {number: cells for number, cells, _ in shape.lines}
    labels = {n: _label(c) for n, c in zip(table.row_numbers, table.rows, strict=True)}
    shaped.totals = [(n, labels[n]) for n in shape.totals]
    shaped.sections = [(n, labels[n]) for n in shape.sections]
    headers, rows = list(table.headers), [lines[n] for n, _, _ in shape.lines]
    grouping = [c for c in columns if c.groups]
    matched_groups = [match.positions[c.key] for c in grouping if c.key in match.positions]
    for position in matched_groups:  # a group named once, on its first row
        above = ""
        for cells in rows:
            above = cells[position] = cells[position] or above
    if shape.sections and grouping and not matched_groups:
        heading = f"{grouping[0].label} (from the section rows)"
        headers.append(heading)
        mapping[heading] = grouping[0].key
        for _, cells, section in shape.lines:
            cells.append(section)
    shaped.table = replace(
        table, headers=headers, rows=rows, row_numbers=[n for n, _, _ in shape.lines]
    )
    return shaped


def shape_upload(
    upload: UploadFile,
    columns: Sequence[Column],
    mapping: str | None = None,
    *,
    sheet: SheetChoice = None,
    memory: MappingMemory | None = None,
) -> Shaped:
    """An uploaded file read (`read_upload`) and shaped for `columns` with the `mapping` form
    field, or a 422 that says why it cannot be. A Word document's tables are a plan's KPI,
    objectives and projects tables side by side, and a workbook's first sheet is often notes:
    unless one is chosen, a document's table, or a sheet when the first lacks a required field,
    is the one whose headings name most of the import's fields.

    With no `mapping`, the one saved in `memory` for the file's headings is used (`{}` asks for
    none: every heading matched by its wording); with one, it is saved when the import is."""
    given = read_mapping(mapping) if mapping and mapping.strip() else None
    recalls: dict[int, Recalled | None] = {}

    def chosen(table: Table) -> tuple[dict[str, str], Recalled | None]:
        if given is not None or memory is None:
            return given or {}, None
        if id(table) not in recalls:
            recalls[id(table)] = memory.recall(table.headers)
        recalled = recalls[id(table)]
        if recalled is None:
            return {}, None
        keys = {c.key for c in columns} | set(_WIDE) | {NOT_IMPORTED}  # fields may have changed
        return {h: k for h, k in recalled.mapping.items() if k in keys}, recalled

    table = read_upload(upload, sheet=sheet)
    docx = (upload.filename or "").lower().endswith(".docx")
    if (
        sheet is None
        and len(table.sheets) > 1
        and (docx or _fit(table, columns, chosen(table)[0]) < 0)
    ):
        tables = []
        for name in table.sheets:
            upload.file.seek(0)
            tables.append(read_upload(upload, sheet=name))
        table = max(tables, key=lambda t: _fit(t, columns, chosen(t)[0]))
    wanted, recalled = chosen(table)
    shaped = shape_table(table, columns, wanted)
    shaped.given, shaped.recalled, shaped.memory = given, recalled, memory
    return shaped


def _fit(table: Table, columns: Sequence[Column], mapping: Mapping[str, str]) -> int:
    match = match_headers(table.headers, columns, mapping)
    return len(match.positions) - 10 * len(match.missing)


def _all_amounts(rows: Sequence[Sequence[str]], column: int) -> bool:
    """A column no text field reads whose cells are all figures ("Savings delivered")."""
    cells = [r[column] for r in rows if r[column].strip()]
    if len(cells) < 2:
        return False
    try:
        for cell in cells:
            read_amount(cell)
    except ValueError:
        return False
    return True


def _label(cells: Sequence[str]) -> str:
    words = [c for c in cells if c.strip()]
    return next((c for c in words if not _all_amounts([[c], [c]], 0)), words[0] if words else "")


def _check_mapping(table: Table, columns: Sequence[Column], mapping: Mapping[str, str]) -> None:
    keys = {c.key for c in columns} | set(_WIDE) | {NOT_IMPORTED}
    errors = [
        FieldError(f"mapping.{heading}", f"The file has no column headed '{heading}'.")
        for heading in mapping
        if heading not in table.headers
    ]
    errors += [
        FieldError(f"mapping.{heading}", f"'{key}' is not a field this table can import.")
        for heading, key in mapping.items()
        if key not in keys
    ]
    fields = [k for k in mapping.values() if k not in _WIDE and k != NOT_IMPORTED]
    errors += [
        FieldError(f"mapping.{key}", f"Two columns are mapped to '{key}'.")
        for key in sorted({k for k in fields if fields.count(k) > 1})
    ]
    if errors:
        raise ValidationFailed(
            "The column mapping cannot be used: " + errors[0]["message"], errors=errors
        )

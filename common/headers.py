"""Header matching: which column of an uploaded table holds which field an import reads,
tolerating the wording councils use."""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from common.errors import FieldError, ValidationFailed


def normalise_header(text: str) -> str:
    """A header reduced for comparison: case, punctuation and spacing set aside.

    >>> normalise_header("Frequency (monthly, quarterly)")
    'frequency monthly quarterly'
    """
    return " ".join(re.findall(r"[a-z0-9£%]+", text.lower().replace("&", " and ")))


FieldType = Literal["text", "money", "quantity", "date", "month", "year", "choice"]


@dataclass(frozen=True)
class Column:
    """A field an import reads: the header wordings that name it, the type of its cells (money
    columns are scaled by their heading's unit and summed when a total is checked), and whether
    it groups the rows under it (a blank cell takes the value above; a section-heading row sets
    it when the file has no such column)."""

    key: str
    label: str
    synonyms: tuple[str, ...] = ()
    required: bool = False
    type: FieldType = "text"
    groups: bool = False

    def wordings(self) -> list[str]:
        return [normalise_header(w) for w in (self.label, *self.synonyms)]


@dataclass
class HeaderMatch:
    """Which header (by position) each field was found under, and what was not matched."""

    positions: dict[str, int] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    missing: list[Column] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)


def match_headers(
    headers: Sequence[str], columns: Sequence[Column], mapping: Mapping[str, str] | None = None
) -> HeaderMatch:
    """Match each header to at most one field: first as the person mapped it (`mapping`,
    heading → field key; a heading mapped to anything else is read by no field), then exact
    wordings, then the longest wording found as whole words inside a header ("Council Plan KPI
    (Y/N)" holds "council plan").

    >>> match = match_headers(["Better (bigger or smaller)"], [Column("polarity", "Better")])
    >>> match.positions
    {'polarity': 0}
    >>> match_headers(["Area", "Better"], [Column("polarity", "Better")], {"Area": "polarity"}).positions
    {'polarity': 0}
    """  # noqa: E501
    mapping = mapping or {}
    keys = {c.key for c in columns}
    normalised = [normalise_header(h) for h in headers]
    match = HeaderMatch()
    candidates: list[tuple[int, int, int, str]] = []
    for position, heading in enumerate(headers):
        if heading in mapping and mapping[heading] in keys:
            candidates.append((-1, 0, position, mapping[heading]))
    mapped = {mapping[h] for h in headers if h in mapping}
    for position, header in enumerate(normalised):
        if not header or headers[position] in mapping:
            continue
        for column in columns:
            for wording in column.wordings():
                if column.key in mapped:
                    continue  # the person chose its column
                if header == wording:
                    candidates.append((0, -len(wording), position, column.key))
                elif wording and f" {wording} " in f" {header} ":
                    candidates.append((1, -len(wording), position, column.key))
    for _, _, position, key in sorted(candidates):
        if key in match.positions or position in match.positions.values():
            continue
        match.positions[key] = position
        match.headers[key] = headers[position]
    match.missing = [c for c in columns if c.required and c.key not in match.positions]
    match.unmatched = [
        h
        for i, h in enumerate(headers)
        if h.strip() and i not in match.positions.values() and h not in mapping
    ]
    return match


def missing_columns(columns: Sequence[Column], what: str) -> ValidationFailed:
    """The 422 for a file without the columns `what` ("a KPI") needs, one error per column."""
    return ValidationFailed(
        f"The file is missing columns {what} needs: "
        + ", ".join(f"'{c.label}'" for c in columns)
        + ".",
        errors=[
            FieldError(f"columns.{c.key}", f"The file has no '{c.label}' column.") for c in columns
        ],
    )


_YES = frozenset(["y", "yes", "true", "1", "x"])
_NO = frozenset(["n", "no", "false", "0", ""])


def parse_yes_no(text: str) -> bool | None:
    """A Y/N cell: True, False (blank is no), or None when it says neither.

    >>> parse_yes_no("Y"), parse_yes_no(" no "), parse_yes_no("maybe")
    (True, False, None)
    """
    answer = text.strip().lower().rstrip(".")
    if answer in _YES:
        return True
    return False if answer in _NO else None

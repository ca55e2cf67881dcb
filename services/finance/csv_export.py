"""CSV downloads that open safely in a spreadsheet."""

import csv
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

from fastapi.responses import Response

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> str:
    """Money as plain pounds and pence; text that a spreadsheet would run as a formula is quoted
    with a leading apostrophe (CSV injection)."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    text = str(value)
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text


def csv_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[object]]
) -> Response:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([cell(value) for value in row])
    return Response(
        buffer.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )

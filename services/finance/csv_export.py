"""CSV downloads that open safely in a spreadsheet."""

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal

from fastapi.responses import Response

from common.writing import Cell, write_csv

_PENCE = Decimal("0.01")


def cell(value: object) -> Cell:
    """Money as plain pounds and pence; anything else that is not text, a number or a date as
    its text. `write_csv` guards text a spreadsheet would run as a formula (CSV injection)."""
    if isinstance(value, Decimal):
        return value.quantize(_PENCE)
    if value is None or isinstance(value, str | int | date):
        return value
    return str(value)


def csv_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[object]]
) -> Response:
    body = write_csv(header, ([cell(value) for value in row] for row in rows), bom=False)
    return Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )

"""An API read shape filled from the rows it shows, so that a read states only what it works out.

`ForecastRead(month=forecast.month, financial_year=forecast.financial_year, …)` copies each field
from the attribute of the same name; `read_shape(ForecastRead, forecast, budget=…)` says only what
is not simply the row's. Pydantic validates the result as if each field were written out.
"""

from typing import Any, TypeVar

from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)


def read_shape(shape: type[M], *rows: object, **worked_out: Any) -> M:
    """`shape` with the `worked_out` fields as given and every other field read from the first of
    `rows` with an attribute of its name; a field none has keeps its default (or is refused as
    missing, when it has none).

    >>> from types import SimpleNamespace
    >>> class Read(BaseModel):
    ...     name: str
    ...     done: int
    ...     percent: str
    >>> read_shape(Read, SimpleNamespace(name="Reviews", done=4, planned=8), percent="50.0")
    Read(name='Reviews', done=4, percent='50.0')
    """
    unknown = worked_out.keys() - shape.model_fields.keys()
    if unknown:
        raise TypeError(f"{shape.__name__} has no field {', '.join(sorted(unknown))}")
    values = dict(worked_out)
    for name in shape.model_fields.keys() - worked_out.keys():
        for row in rows:
            if hasattr(row, name):
                values[name] = getattr(row, name)
                break
    return shape(**values)

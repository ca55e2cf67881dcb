"""Annotated dependencies of the KPI routers: who may set up, enter and approve, and the query
parameters several routers read (sort order, periods, financial years)."""

import uuid
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from fastapi import Depends, Query

from common.errors import FieldError, Forbidden, ValidationFailed
from common.identity import Caller, CallerDep, Role, require_roles
from common.periods import FinancialYear, FinancialYearText, Period
from services.kpi.actuals.rules import MANAGERS


def _configurer(caller: CallerDep) -> Caller:
    """Measures, targets, populations and benchmarks are set up by managers, not by people who
    provide the figures (an API key acts as its one role, like a person)."""
    if not caller.has_any(*MANAGERS):
        raise Forbidden("Only the programme office or a service lead can set up measures.")
    return caller


def _enterer(caller: CallerDep) -> Caller:
    """Figures are entered by data providers (for their team's measures, checked per row),
    and managers; not by viewers or finance."""
    if not caller.has_any(*MANAGERS, Role.DATA_PROVIDER):
        raise Forbidden("Only data providers, service leads or the programme office enter figures.")
    return caller


Configure = [Depends(_configurer)]
"""Setting up measures, targets, populations and benchmarks: not for people who enter figures."""
Enterer = Annotated[Caller, Depends(_enterer)]
Approver = Annotated[Caller, Depends(require_roles(*MANAGERS))]

MeasureSort = Literal[
    "code",
    "-code",
    "title",
    "-title",
    "rag",
    "-rag",
    "frequency",
    "-frequency",
    "data_provider",
    "-data_provider",
    "service_area",
    "-service_area",
]
SortQuery = Annotated[
    MeasureSort, Query(description='A column to sort by; "-" first for descending ("-rag").')
]


def period_param(text: str, field: str = "period") -> Period:
    """A period from a query parameter, or a 422 naming the parameter."""
    try:
        return Period.parse(text)
    except ValueError as error:
        raise ValidationFailed(str(error), errors=[FieldError(field, str(error))]) from None


def year_param(text: str | None, field: str) -> FinancialYear | None:
    """A financial year from a query parameter (None when left out), or a 422 naming it."""
    if text is None:
        return None
    try:
        return FinancialYear.parse(text)
    except ValueError as error:
        raise ValidationFailed(str(error), errors=[FieldError(field, str(error))]) from None


@dataclass
class ByMeasureAndYear:
    """`?measure_id=…&financial_year=…`, the filters of the figures kept per measure and year
    (targets, benchmarks): a dependency. The year is read when asked for, so a bad one is
    reported after every parameter has been checked, as a route's own would be."""

    measure_id: uuid.UUID | None = None
    financial_year: FinancialYearText | None = None

    def filters(self) -> dict[str, Any]:
        """The filters as the services take them: the year as its label."""
        year = year_param(self.financial_year, "financial_year")
        return {"measure_id": self.measure_id, "financial_year": year.label if year else None}


MeasureAndYear = Annotated[ByMeasureAndYear, Depends()]

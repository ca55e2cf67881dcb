"""HTTP routes of benefits worked by formula: parse, call the service, shape the response."""

import uuid

from fastapi import APIRouter, Request, Response, status

from common import crud
from common.concurrency import set_etag
from common.errors import NotFound
from services.finance.benefits import service
from services.finance.benefits.schemas import BenefitRead, BenefitSet, BenefitTotals
from services.finance.deps import (
    CallerDep,
    SessionDep,
    check_measures_exist,
    kpi_measure_actuals,
    require_may_change,
)
from services.finance.savings.models import SavingsLine

router = APIRouter(tags=["benefits"])


@router.get("/savings-lines/{line_id}/benefit", response_model=BenefitRead)
def get_benefit(
    session: SessionDep, line_id: uuid.UUID, request: Request, response: Response
) -> BenefitRead:
    """A line's calculation with its working: the planned figure and achieved-to-date, each in
    words, worked from the stored inputs and the linked KPIs' actuals."""
    line = crud.get_or_404(session, SavingsLine, line_id, "savings line")
    calculation = service.calculation_of(session, line)
    if calculation is None:
        raise NotFound(f"Savings line {line.reference} has no calculation.")
    set_etag(response, calculation.version)
    return service.read(
        session, calculation=calculation, measure_actuals=kpi_measure_actuals(request)
    )


@router.put("/savings-lines/{line_id}/benefit", response_model=BenefitRead)
def set_benefit(
    session: SessionDep,
    caller: CallerDep,
    line_id: uuid.UUID,
    data: BenefitSet,
    request: Request,
    response: Response,
) -> BenefitRead:
    """Give a line its calculation, or change it (If-Match with the calculation's ETag)."""
    line = crud.get_or_404(session, SavingsLine, line_id, "savings line")
    require_may_change(caller, line.owner_team)
    calculation = service.calculation_of(session, line)
    if calculation is not None:
        crud.check_version(request, calculation)
    linked = [
        (f"inputs.{name}.measure_id", given.measure_id)
        for name, given in data.inputs.items()
        if given.measure_id is not None
    ]
    check_measures_exist(request, [(field, m) for field, m in linked if m is not None])
    calculation = service.set_calculation(session, line=line, calculation=calculation, data=data)
    set_etag(response, calculation.version)
    return service.read(
        session, calculation=calculation, measure_actuals=kpi_measure_actuals(request)
    )


@router.delete("/savings-lines/{line_id}/benefit", status_code=status.HTTP_204_NO_CONTENT)
def delete_benefit(
    session: SessionDep, caller: CallerDep, line_id: uuid.UUID, request: Request
) -> None:
    """Remove a line's calculation (If-Match); the line and its targets stay."""
    line = crud.get_or_404(session, SavingsLine, line_id, "savings line")
    require_may_change(caller, line.owner_team)
    calculation = service.calculation_of(session, line)
    if calculation is None:
        raise NotFound(f"Savings line {line.reference} has no calculation.")
    crud.check_version(request, calculation)
    service.delete_calculation(session, calculation=calculation)


@router.get("/benefits/totals", response_model=BenefitTotals)
def benefit_totals(session: SessionDep, request: Request) -> BenefitTotals:
    """Opportunity, planned and achieved-to-date: three totals, never added together, each
    counting an overlap between two lines once and saying so."""
    return service.totals(session, measure_actuals=kpi_measure_actuals(request))

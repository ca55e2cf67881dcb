"""HTTP routes of the national measure library: parse, call the service, shape the response."""

import uuid
from typing import Annotated

from fastapi import APIRouter, File, Query, UploadFile, status

from common import crud
from common.db import SessionDep
from common.errors import FieldError, ValidationFailed
from common.pagination import Page, PageDep
from services.kpi.deps import Configure
from services.kpi.library import service
from services.kpi.library.schemas import (
    AdoptionRead,
    AdoptRequest,
    BenchmarkImportResult,
    LibraryMeasureRead,
)
from services.kpi.measures.models import Measure

router = APIRouter(tags=["library"])

MAX_BYTES = 2_000_000


@router.get("/library/measures", response_model=Page[LibraryMeasureRead])
def list_library(session: SessionDep, page: PageDep) -> Page[LibraryMeasureRead]:
    """The national measures shipped with ASC Tracker (ASCOF 2023-24), each with its source and
    the fields no source confirmed, and the caller's measure adopted from it."""
    return crud.page_from(service.list_library(session), page)


@router.get("/library/adoptions", response_model=Page[AdoptionRead])
def list_adoptions(session: SessionDep, page: PageDep) -> Page[AdoptionRead]:
    """The library measures this council has adopted, by library key, with the measure each
    became."""
    adoptions = [AdoptionRead.model_validate(a) for a in service.list_adoptions(session)]
    return crud.page_from(adoptions, page)


@router.post(
    "/library/adoptions",
    dependencies=Configure,
    status_code=status.HTTP_201_CREATED,
    response_model=list[AdoptionRead],
)
def adopt(session: SessionDep, data: AdoptRequest) -> list[AdoptionRead]:
    """Adopt library measures into the plan in one step, all or none: each becomes a measure
    that keeps its national id and the library definition and year it came from."""
    return [AdoptionRead.model_validate(a) for a in service.adopt(session, data=data)]


@router.post(
    "/measures/{measure_id}/benchmarks/import",
    dependencies=Configure,
    response_model=BenchmarkImportResult,
    tags=["benchmarks"],
)
def import_benchmarks(
    session: SessionDep,
    measure_id: uuid.UUID,
    file: Annotated[
        UploadFile, File(description="CSV: area code, area name, period, value (one row an area).")
    ],
    apply: Annotated[bool, Query(description="Write the rows; false previews them.")] = False,
) -> BenchmarkImportResult:
    """Import benchmarks in the shape national benchmarking tools export, all or nothing, with
    a result per row (new, update, unchanged, skip, error)."""
    measure = crud.get_or_404(session, Measure, measure_id, "measure")
    raw = file.file.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise ValidationFailed(
            "The file is too large.", errors=[FieldError("file", "Use a file under 2 MB")]
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationFailed(
            "The file is not UTF-8 text.", errors=[FieldError("file", "Save the file as CSV UTF-8")]
        ) from None
    return service.import_benchmarks(
        session, measure=measure, text=text, filename=file.filename or "", apply=apply
    )

"""`POST /imports/objectives`, `/imports/projects` and `/imports/milestones`: preview (the
default) or commit."""

from collections.abc import Callable, Sequence
from typing import TypeVar

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from common.headers import Column
from common.importing import IMPORT_RESPONSES, ImportReport, ImportUpload, ImportUploadDep
from common.saved_mappings import MappingMemory, saved_mappings_router
from common.spreadsheets import Table
from services.projects.deps import SessionDep
from services.projects.imports import milestones, objectives, projects
from services.projects.imports.models import SavedMapping

router = APIRouter(prefix="/imports", tags=["imports"], responses=IMPORT_RESPONSES)
KINDS = ("objectives", "projects", "milestones")
P = TypeVar("P")


def _import(
    upload: ImportUpload,
    session: Session,
    kind: str,
    columns: Sequence[Column],
    plan: Callable[[Session, Table, str], tuple[ImportReport, P]],
    commit: Callable[[Session, P], None],
) -> JSONResponse:
    """The answer of an import whose `plan` and `commit` need nothing but the session."""
    return upload.answer(
        MappingMemory(session, SavedMapping, kind),
        columns,
        plan=lambda table, filename: plan(session, table, filename),
        write=lambda planned, _: commit(session, planned),
    )


@router.post("/objectives", summary="Import the service plan objectives table (CSV or XLSX)")
def import_objectives(upload: ImportUploadDep, session: SessionDep) -> JSONResponse:
    """Each objective's action (create, update, unchanged, matched by number), what was read,
    the priorities it serves (new ones named), and every cell that could not be read. With
    `commit=true` every row is written, or none is (422 naming each blocking cell)."""
    return _import(
        upload, session, "objectives", objectives.COLUMNS, objectives.plan, objectives.commit
    )


@router.post("/projects", summary="Import the service plan projects table (CSV or XLSX)")
def import_projects(upload: ImportUploadDep, session: SessionDep) -> JSONResponse:
    """Each project's action (matched by name), its dates and budget read with the council's
    wording kept, the objectives it was linked to and the links that could not be made. Import
    the objectives first. With `commit=true` every row is written, or none is."""
    return _import(upload, session, "projects", projects.COLUMNS, projects.plan, projects.commit)


@router.post("/milestones", summary="Import milestones of projects (CSV or XLSX)")
def import_milestones(upload: ImportUploadDep, session: SessionDep) -> JSONResponse:
    """Each milestone's action (matched by project and title), its dates read from the council's
    wording (a month alone is its last day) with the cells kept as written, and every cell that
    could not be read. Import the projects first. With `commit=true` every row is written, or
    none is."""
    return _import(
        upload, session, "milestones", milestones.COLUMNS, milestones.plan, milestones.commit
    )


saved_mappings = saved_mappings_router(SavedMapping, KINDS)

"""`POST /imports/objectives`, `/imports/projects` and `/imports/milestones`: preview (the
default) or commit."""

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from common.importing import IMPORT_RESPONSES, ImportUploadDep
from common.saved_mappings import MappingMemory, saved_mappings_router
from services.projects.deps import SessionDep
from services.projects.imports import milestones, objectives, projects
from services.projects.imports.models import SavedMapping

router = APIRouter(prefix="/imports", tags=["imports"], responses=IMPORT_RESPONSES)
KINDS = ("objectives", "projects", "milestones")


@router.post("/objectives", summary="Import the service plan objectives table (CSV or XLSX)")
def import_objectives(upload: ImportUploadDep, session: SessionDep) -> JSONResponse:
    """Each objective's action (create, update, unchanged, matched by number), what was read,
    the priorities it serves (new ones named), and every cell that could not be read. With
    `commit=true` every row is written, or none is (422 naming each blocking cell)."""
    return upload.answer(
        MappingMemory(session, SavedMapping, "objectives"),
        objectives.COLUMNS,
        plan=lambda table, filename: objectives.plan(session, table, filename),
        write=lambda planned, _: objectives.commit(session, planned),
    )


@router.post("/projects", summary="Import the service plan projects table (CSV or XLSX)")
def import_projects(upload: ImportUploadDep, session: SessionDep) -> JSONResponse:
    """Each project's action (matched by name), its dates and budget read with the council's
    wording kept, the objectives it was linked to and the links that could not be made. Import
    the objectives first. With `commit=true` every row is written, or none is."""
    return upload.answer(
        MappingMemory(session, SavedMapping, "projects"),
        projects.COLUMNS,
        plan=lambda table, filename: projects.plan(session, table, filename),
        write=lambda planned, _: projects.commit(session, planned),
    )


@router.post("/milestones", summary="Import milestones of projects (CSV or XLSX)")
def import_milestones(upload: ImportUploadDep, session: SessionDep) -> JSONResponse:
    """Each milestone's action (matched by project and title), its dates read from the council's
    wording (a month alone is its last day) with the cells kept as written, and every cell that
    could not be read. Import the projects first. With `commit=true` every row is written, or
    none is."""
    return upload.answer(
        MappingMemory(session, SavedMapping, "milestones"),
        milestones.COLUMNS,
        plan=lambda table, filename: milestones.plan(session, table, filename),
        write=lambda planned, _: milestones.commit(session, planned),
    )


saved_mappings = saved_mappings_router(SavedMapping, KINDS)

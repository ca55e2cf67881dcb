"""`POST /imports/objectives`, `/imports/projects` and `/imports/milestones`: preview (the
default) or commit."""

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from common.importing import (
    IMPORT_RESPONSES,
    ImportCommit,
    ImportFile,
    ImportMapping,
    ImportRows,
    import_response,
)
from common.mapping import shape_upload
from common.saved_mappings import MappingMemory, saved_mappings_router
from services.projects.deps import SessionDep
from services.projects.imports import milestones, objectives, projects
from services.projects.imports.models import SavedMapping

router = APIRouter(prefix="/imports", tags=["imports"])
KINDS = ("objectives", "projects", "milestones")


@router.post(
    "/objectives",
    summary="Import the service plan objectives table (CSV or XLSX)",
    responses=IMPORT_RESPONSES,
)
def import_objectives(
    file: ImportFile,
    session: SessionDep,
    commit: ImportCommit = False,
    rows: ImportRows = "all",
    mapping: ImportMapping = None,
) -> JSONResponse:
    """Each objective's action (create, update, unchanged, matched by number), what was read,
    the priorities it serves (new ones named), and every cell that could not be read. With
    `commit=true` every row is written, or none is (422 naming each blocking cell)."""
    memory = MappingMemory(session, SavedMapping, "objectives")
    shaped = shape_upload(file, objectives.COLUMNS, mapping, memory=memory)
    planned = objectives.plan(session, shaped.table, file.filename or "")
    return import_response(
        planned.report,
        commit=commit,
        rows=rows,
        write=lambda: objectives.commit(session, planned),
        shape=shaped,
    )


@router.post(
    "/projects",
    summary="Import the service plan projects table (CSV or XLSX)",
    responses=IMPORT_RESPONSES,
)
def import_projects(
    file: ImportFile,
    session: SessionDep,
    commit: ImportCommit = False,
    rows: ImportRows = "all",
    mapping: ImportMapping = None,
) -> JSONResponse:
    """Each project's action (matched by name), its dates and budget read with the council's
    wording kept, the objectives it was linked to and the links that could not be made. Import
    the objectives first. With `commit=true` every row is written, or none is."""
    memory = MappingMemory(session, SavedMapping, "projects")
    shaped = shape_upload(file, projects.COLUMNS, mapping, memory=memory)
    report, planned = projects.plan(session, shaped.table, file.filename or "")
    return import_response(
        report,
        commit=commit,
        rows=rows,
        write=lambda: projects.commit(session, planned),
        shape=shaped,
    )


@router.post(
    "/milestones",
    summary="Import milestones of projects (CSV or XLSX)",
    responses=IMPORT_RESPONSES,
)
def import_milestones(
    file: ImportFile,
    session: SessionDep,
    commit: ImportCommit = False,
    rows: ImportRows = "all",
    mapping: ImportMapping = None,
) -> JSONResponse:
    """Each milestone's action (matched by project and title), its dates read from the council's
    wording (a month alone is its last day) with the cells kept as written, and every cell that
    could not be read. Import the projects first. With `commit=true` every row is written, or
    none is."""
    memory = MappingMemory(session, SavedMapping, "milestones")
    shaped = shape_upload(file, milestones.COLUMNS, mapping, memory=memory)
    report, planned = milestones.plan(session, shaped.table, file.filename or "")
    return import_response(
        report,
        commit=commit,
        rows=rows,
        write=lambda: milestones.commit(session, planned),
        shape=shaped,
    )


saved_mappings = saved_mappings_router(SavedMapping, KINDS)

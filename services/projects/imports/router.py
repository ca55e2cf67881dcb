"""`POST /imports/objectives`, `/imports/projects` and `/imports/milestones`: preview (the
default) or commit."""

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from common.importing import ImportCommit, ImportFile, ImportRows, import_response
from common.spreadsheets import read_upload
from services.projects.deps import SessionDep
from services.projects.imports import milestones, objectives, projects

router = APIRouter(prefix="/imports", tags=["imports"])


@router.post("/objectives", summary="Import the service plan objectives table (CSV or XLSX)")
def import_objectives(
    file: ImportFile, session: SessionDep, commit: ImportCommit = False, rows: ImportRows = "all"
) -> JSONResponse:
    """Each objective's action (create, update, unchanged, matched by number), what was read,
    the priorities it serves (new ones named), and every cell that could not be read. With
    `commit=true` every row is written, or none is (422 naming each blocking cell)."""
    planned = objectives.plan(session, read_upload(file), file.filename or "")
    return import_response(
        planned.report, commit=commit, rows=rows, write=lambda: objectives.commit(session, planned)
    )


@router.post("/projects", summary="Import the service plan projects table (CSV or XLSX)")
def import_projects(
    file: ImportFile, session: SessionDep, commit: ImportCommit = False, rows: ImportRows = "all"
) -> JSONResponse:
    """Each project's action (matched by name), its dates and budget read with the council's
    wording kept, the objectives it was linked to and the links that could not be made. Import
    the objectives first. With `commit=true` every row is written, or none is."""
    report, planned = projects.plan(session, read_upload(file), file.filename or "")
    return import_response(
        report, commit=commit, rows=rows, write=lambda: projects.commit(session, planned)
    )


@router.post("/milestones", summary="Import milestones of projects (CSV or XLSX)")
def import_milestones(
    file: ImportFile, session: SessionDep, commit: ImportCommit = False, rows: ImportRows = "all"
) -> JSONResponse:
    """Each milestone's action (matched by project and title), its dates read from the council's
    wording (a month alone is its last day) with the cells kept as written, and every cell that
    could not be read. Import the projects first. With `commit=true` every row is written, or
    none is."""
    report, planned = milestones.plan(session, read_upload(file), file.filename or "")
    return import_response(
        report, commit=commit, rows=rows, write=lambda: milestones.commit(session, planned)
    )

"""The create, read, change and remove routes of a kind of record, declared once.

Most records are kept the same way: `POST /things` adds one (201, with its ETag), `GET
/things/{thing_id}` reads it with its ETag, `PATCH` changes it (If-Match), `POST …/retire` and
`…/restore` move it out of the plan and back (`common/retiring.py`) and `DELETE` removes it
(204). A router declares what is its own (the service's steps, the docstrings, who may write)
and this module writes the routes. Each route function gets its own name and docstring, so the
OpenAPI document names and describes it as if written by hand: `common/openapi.py` reads both,
and reads If-Match and the ETag from the calls in the route's own code, so each route here calls
`crud.check_version` (through `_to_change`) and `set_etag` itself.

    routes.add_routes(
        router,  # APIRouter(prefix="/benchmarks", tags=["benchmarks"])
        routes.Resource(Benchmark, BenchmarkRead, what="benchmark", writes=Configure),
        create=routes.Create(service.create_benchmark, doc="Record a value."),
        update=routes.Update(service.update_benchmark),
        delete=routes.Delete(),
    )

Routes that do more than this (a list with its filters, a change with checks of its own) stay
written out in their router.
"""

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Annotated, Any, get_type_hints

from fastapi import APIRouter, Path, Request, Response, status
from pydantic import BaseModel
from sqlalchemy.orm import Session

from common import crud, retiring
from common.concurrency import set_etag
from common.db import SessionDep
from common.identity import Caller, CallerDep

Extra = Callable[[Caller, Request], dict[str, Any]]
"""More keyword arguments for a service step, from the request (a report's author, today)."""


def _nothing_more(caller: Caller, request: Request) -> dict[str, Any]:
    return {}


Guard = Callable[[Session, Caller, Any], None]
"""Raises Forbidden for a caller who may not change the record (given the body of a new one)."""


def by_owner(check: Guard, field: str) -> Guard:
    """A guard that holds a record to the rules of what owns it: `check(session, caller,
    record.<field>)` (a milestone, a RAID item, a highlight report: its project's)."""
    return lambda session, caller, record: check(session, caller, getattr(record, field))


@dataclass(frozen=True)
class Resource:
    """A kind of record and what its routes share.

    `what` names it in a 404 ("There is no budget line with this id."); `name` in its operation
    ids (`create_budget_line`: `what` in snake case when left out); `keyword` is how the
    service's update and delete steps take the record (`line=` in `update_budget_line`: `name`
    when left out), and the path names its id after it (`{line_id}`). `path` is the collection's
    path under the router ("" under a router with a prefix). `writes` are the dependencies of
    every write (who may set up); `guard` raises Forbidden for a caller who may not change it,
    given the body of a new record or the record to change; `respond` shapes the answer when the
    read shape needs more than the row; `extra` gives its create and update steps more keyword
    arguments (unless a `Create` or `Update` gives its own)."""

    model: type[Any]
    read: type[BaseModel]
    what: str
    path: str = ""
    name: str = ""
    keyword: str = ""
    tags: list[str | Enum] | None = None
    writes: Sequence[Any] = ()
    guard: Guard | None = None
    respond: Callable[[Session, Any], Any] | None = None
    extra: Extra = _nothing_more

    @property
    def stem(self) -> str:
        return self.name or self.what.lower().replace(" ", "_")

    @property
    def id_name(self) -> str:
        return f"{self.keyword or self.stem}_id"

    def check(self, session: Session, caller: Caller, record: Any) -> None:
        if self.guard is not None:
            self.guard(session, caller, record)

    def answer(self, session: Session, row: Any) -> Any:
        """The record in its read shape."""
        if self.respond is not None:
            return self.respond(session, row)
        return self.read.model_validate(row)

    def row_of(self, row: Any) -> dict[str, Any]:
        """The record as the service's update and delete steps take it."""
        return {self.keyword or self.stem: row}


@dataclass(frozen=True)
class Create:
    """`POST {path}`: `step(session, data=…)` makes the record from the body, which is of the
    type the step declares for `data` (so a router need not name it again)."""

    step: Callable[..., Any]
    doc: str | None = None
    extra: Extra | None = None
    dependencies: Sequence[Any] = ()

    @property
    def body(self) -> type[BaseModel]:
        body: type[BaseModel] = get_type_hints(self.step)["data"]
        return body


class Update(Create):
    """`PATCH {path}/{id}` with If-Match: `step(session, <keyword>=row, data=…)` changes it."""


@dataclass(frozen=True)
class Read:
    """`GET {path}/{id}`: the record as it is, with its ETag."""

    doc: str | None = None


@dataclass(frozen=True)
class Retire:
    """`POST {path}/{id}/retire` and `…/restore` with If-Match: `change` sets the state (a KPI
    keeps it as `active`), `may_change` raises Forbidden for a caller who may not (a project's
    lead team's rule)."""

    change: Callable[[Any, bool], None] = retiring.set_retired
    may_change: Callable[[Caller, Any], None] = lambda caller, row: None


@dataclass(frozen=True)
class Delete:
    """`DELETE {path}/{id}`: `step(session, <keyword>=row)` removes it (`crud.delete` when left
    out); with `if_match`, only as the caller last read it."""

    step: Callable[..., None] | None = None
    doc: str | None = None
    if_match: bool = True
    dependencies: Sequence[Any] = ()


def _named(endpoint: Callable[..., Any], name: str, doc: str | None) -> Callable[..., Any]:
    """The operation id comes from the function's name, its summary from the docstring."""
    endpoint.__name__ = endpoint.__qualname__ = name
    endpoint.__doc__ = doc
    return endpoint


def _found(resource: Resource, session: Session, caller: Caller, row_id: uuid.UUID) -> Any:
    """The record, if the caller may change it (404 before 403, as for any other id)."""
    row = crud.get_or_404(session, resource.model, row_id, resource.what)
    resource.check(session, caller, row)
    return row


def _to_change(
    resource: Resource, session: Session, caller: Caller, row_id: uuid.UUID, request: Request
) -> Any:
    """The record, if the caller may change it and names the version it last read."""
    row = _found(resource, session, caller, row_id)
    crud.check_version(request, row)
    return row


def _remove(resource: Resource, spec: Delete, session: Session, row: Any) -> None:
    if spec.step is None:
        crud.delete(session, row)
    else:
        spec.step(session, **resource.row_of(row))


_RETIRING = {
    "retire": (
        True,
        "Retire a {what}: it leaves lists and trackers but keeps its history. Requires If-Match "
        "(412 when stale).",
    ),
    "restore": (
        False,
        "Bring a retired {what} back into the plan. Requires If-Match (412 when stale).",
    ),
}
"""`POST {path}/{id}/<verb>`: whether it retires the record, and what it says it does."""


def _retire_endpoint(resource: Resource, spec: Retire, verb: str) -> Callable[..., Any]:
    RowId = Annotated[uuid.UUID, Path(alias=resource.id_name)]
    retired, doc = _RETIRING[verb]

    def endpoint(
        session: SessionDep, caller: CallerDep, row_id: RowId, request: Request, response: Response
    ) -> Any:
        row = crud.get_or_404(session, resource.model, row_id, resource.what)
        spec.may_change(caller, row)
        crud.check_version(request, row)
        spec.change(row, retired)
        session.flush()
        set_etag(response, row.version)
        return resource.answer(session, row)

    name = f"{verb}_{resource.what.replace(' ', '_')}"
    return _named(endpoint, name, doc.format(what=resource.what))


def _endpoints(
    resource: Resource,
    create: Create | None,
    read: Read | None,
    update: Update | None,
    delete: Delete | None,
) -> dict[str, Callable[..., Any]]:
    """The route functions, by HTTP method, of the operations given."""
    RowId = Annotated[uuid.UUID, Path(alias=resource.id_name)]
    found: dict[str, Callable[..., Any]] = {}

    if create is not None:

        def create_one(
            session: SessionDep,
            caller: CallerDep,
            data: BaseModel,
            request: Request,
            response: Response,
        ) -> Any:
            resource.check(session, caller, data)
            more = (create.extra or resource.extra)(caller, request)
            row = create.step(session, data=data, **more)
            set_etag(response, row.version)
            return resource.answer(session, row)

        create_one.__annotations__["data"] = create.body
        found["POST"] = _named(create_one, f"create_{resource.stem}", create.doc)

    if read is not None:

        def read_one(session: SessionDep, row_id: RowId, response: Response) -> Any:
            row = crud.get_or_404(session, resource.model, row_id, resource.what)
            set_etag(response, row.version)
            return resource.answer(session, row)

        found["GET"] = _named(read_one, f"get_{resource.stem}", read.doc)

    if update is not None:

        def update_one(
            session: SessionDep,
            caller: CallerDep,
            row_id: RowId,
            data: BaseModel,
            request: Request,
            response: Response,
        ) -> Any:
            row = _to_change(resource, session, caller, row_id, request)
            more = (update.extra or resource.extra)(caller, request)
            row = update.step(session, **resource.row_of(row), data=data, **more)
            set_etag(response, row.version)
            return resource.answer(session, row)

        update_one.__annotations__["data"] = update.body
        found["PATCH"] = _named(update_one, f"update_{resource.stem}", update.doc)

    if delete is not None:
        # Two functions, not one with a branch: the OpenAPI document declares If-Match for a
        # route whose code checks the version, and only for it.
        def delete_checked(
            session: SessionDep, caller: CallerDep, row_id: RowId, request: Request
        ) -> None:
            _remove(
                resource, delete, session, _to_change(resource, session, caller, row_id, request)
            )

        def delete_unchecked(session: SessionDep, caller: CallerDep, row_id: RowId) -> None:
            _remove(resource, delete, session, _found(resource, session, caller, row_id))

        chosen = delete_checked if delete.if_match else delete_unchecked
        found["DELETE"] = _named(chosen, f"delete_{resource.stem}", delete.doc)

    return found


def add_routes(
    router: APIRouter,
    resource: Resource,
    *,
    create: Create | None = None,
    read: Read | None = Read(),
    update: Update | None = None,
    retire: Retire | None = None,
    delete: Delete | None = None,
) -> None:
    """The routes of `resource` on `router`: create, read (unless `read=None`), update, retire
    and restore, delete, each only when given."""
    endpoints = _endpoints(resource, create, read, update, delete)
    item = f"{resource.path}/{{{resource.id_name}}}"
    writes = list(resource.writes)

    def add(method: str, path: str, status_code: int, dependencies: Sequence[Any]) -> None:
        if method in endpoints:
            router.add_api_route(
                path,
                endpoints[method],
                methods=[method],
                status_code=status_code,
                response_model=None if method == "DELETE" else resource.read,
                tags=resource.tags,
                dependencies=list(dependencies),
            )

    own = create.dependencies if create else ()
    add("POST", resource.path, status.HTTP_201_CREATED, [*writes, *own])
    add("GET", item, status.HTTP_200_OK, [])
    own = update.dependencies if update else ()
    add("PATCH", item, status.HTTP_200_OK, [*writes, *own])
    if retire is not None:
        for verb in _RETIRING:
            router.add_api_route(
                f"{item}/{verb}",
                _retire_endpoint(resource, retire, verb),
                methods=["POST"],
                response_model=resource.read,
                dependencies=writes,
            )
    own = delete.dependencies if delete else ()
    add("DELETE", item, status.HTTP_204_NO_CONTENT, [*writes, *own])

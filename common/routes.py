"""The create, read, change and remove routes of a kind of record, declared once.

Most records are kept the same way: `POST /things` adds one (201, with its ETag), `GET
/things/{id}` reads it with its ETag, `PATCH /things/{id}` changes it (If-Match) and `DELETE
/things/{id}` removes it (204). A router declares what is its own (the service's steps, the
docstrings, who may write) and this module writes the routes. Each route function gets its own
name and docstring, so the OpenAPI document names and describes it as if written by hand
(`common/openapi.py` reads both; it reads If-Match and the ETag from the calls in the route's own
code, so each route calls `crud.check_version` and `set_etag` itself).

    BENCHMARKS = routes.Resource(
        Benchmark, BenchmarkRead, what="benchmark", id_name="benchmark_id", path="/benchmarks"
    )
    routes.add_routes(
        router,
        BENCHMARKS,
        create=routes.Create(BenchmarkCreate, service.create_benchmark, doc="Record a value."),
        update=routes.Update(BenchmarkUpdate, service.update_benchmark),
        delete=routes.Delete(service.delete_benchmark),
    )

Routes that do more than this (a list with its filters, a change with checks of its own) stay
written out in their router.
"""

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Annotated, Any

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


@dataclass(frozen=True)
class Resource:
    """A kind of record and what its routes share.

    `what` names it in a 404 ("There is no budget line with this id."); `name` in its operation
    ids (`create_budget_line`: `what` in snake case when left out); `keyword` is how the
    service's update and delete steps take the record (`line=` in `update_budget_line`: `name`
    when left out). `path` is the collection's path under the router ("" under a router with a
    prefix). `writes` are the dependencies of every write (who may set up); `guard` raises
    Forbidden for a caller who may not change it, given the body of a new record or the record
    to change; `respond` shapes the answer when the read shape needs more than the row."""

    model: type[Any]
    read: type[BaseModel]
    what: str
    id_name: str
    path: str = ""
    name: str = ""
    keyword: str = ""
    tags: list[str | Enum] | None = None
    writes: Sequence[Any] = ()
    guard: Callable[[Session, Caller, Any], None] | None = None
    respond: Callable[[Session, Any], Any] | None = None

    @property
    def stem(self) -> str:
        return self.name or self.what.lower().replace(" ", "_")

    @property
    def item_path(self) -> str:
        return f"{self.path}/{{{self.id_name}}}"

    def find(self, session: Session, row_id: uuid.UUID) -> Any:
        return crud.get_or_404(session, self.model, row_id, self.what)

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
    """`POST {path}`: `create(session, data=…)` makes the record from the body."""

    body: type[BaseModel]
    create: Callable[..., Any]
    doc: str | None = None
    extra: Extra = _nothing_more
    dependencies: Sequence[Any] = ()


@dataclass(frozen=True)
class Read:
    """`GET {path}/{id}`: the record as it is, with its ETag."""

    doc: str | None = None


@dataclass(frozen=True)
class Update:
    """`PATCH {path}/{id}` with If-Match: `update(session, <keyword>=row, data=…)` changes it."""

    body: type[BaseModel]
    update: Callable[..., Any]
    doc: str | None = None
    extra: Extra = _nothing_more


@dataclass(frozen=True)
class Delete:
    """`DELETE {path}/{id}`: `delete(session, <keyword>=row)` removes it (`crud.delete` when
    left out); with `if_match`, only as the caller last read it."""

    delete: Callable[..., None] | None = None
    doc: str | None = None
    if_match: bool = True
    dependencies: Sequence[Any] = ()


@dataclass(frozen=True)
class Retire:
    """`POST {path}/{id}/retire` and `…/restore` (`common/retiring.py`): `change` sets the state,
    `may_change` raises Forbidden for a caller who may not."""

    change: Callable[[Any, bool], None] = retiring.set_retired
    may_change: Callable[[Caller, Any], None] = lambda caller, row: None


def _named(endpoint: Callable[..., Any], name: str, doc: str | None) -> Callable[..., Any]:
    """The operation id comes from the function's name, its summary from the docstring."""
    endpoint.__name__ = endpoint.__qualname__ = name
    endpoint.__doc__ = doc
    return endpoint


def _create(resource: Resource, spec: Create) -> Callable[..., Any]:
    def endpoint(
        session: SessionDep,
        caller: CallerDep,
        data: BaseModel,
        request: Request,
        response: Response,
    ) -> Any:
        resource.check(session, caller, data)
        row = spec.create(session, data=data, **spec.extra(caller, request))
        set_etag(response, row.version)
        return resource.answer(session, row)

    endpoint.__annotations__["data"] = spec.body
    return _named(endpoint, f"create_{resource.stem}", spec.doc)


def _read(resource: Resource, spec: Read) -> Callable[..., Any]:
    def endpoint(
        session: SessionDep,
        row_id: Annotated[uuid.UUID, Path(alias=resource.id_name)],
        response: Response,
    ) -> Any:
        row = resource.find(session, row_id)
        set_etag(response, row.version)
        return resource.answer(session, row)

    return _named(endpoint, f"get_{resource.stem}", spec.doc)


def _update(resource: Resource, spec: Update) -> Callable[..., Any]:
    def endpoint(
        session: SessionDep,
        caller: CallerDep,
        row_id: Annotated[uuid.UUID, Path(alias=resource.id_name)],
        data: BaseModel,
        request: Request,
        response: Response,
    ) -> Any:
        row = resource.find(session, row_id)
        resource.check(session, caller, row)
        crud.check_version(request, row)
        row = spec.update(session, **resource.row_of(row), data=data, **spec.extra(caller, request))
        set_etag(response, row.version)
        return resource.answer(session, row)

    endpoint.__annotations__["data"] = spec.body
    return _named(endpoint, f"update_{resource.stem}", spec.doc)


def _remove(resource: Resource, spec: Delete, session: Session, row: Any) -> None:
    if spec.delete is None:
        crud.delete(session, row)
    else:
        spec.delete(session, **resource.row_of(row))


def _delete(resource: Resource, spec: Delete) -> Callable[..., None]:
    # Two functions, not one with a branch: the OpenAPI document declares If-Match for a route
    # whose code checks the version, and only for it.
    def checked(
        session: SessionDep,
        caller: CallerDep,
        row_id: Annotated[uuid.UUID, Path(alias=resource.id_name)],
        request: Request,
    ) -> None:
        row = resource.find(session, row_id)
        resource.check(session, caller, row)
        crud.check_version(request, row)
        _remove(resource, spec, session, row)

    def unchecked(
        session: SessionDep,
        caller: CallerDep,
        row_id: Annotated[uuid.UUID, Path(alias=resource.id_name)],
    ) -> None:
        row = resource.find(session, row_id)
        resource.check(session, caller, row)
        _remove(resource, spec, session, row)

    return _named(checked if spec.if_match else unchecked, f"delete_{resource.stem}", spec.doc)


def add_routes(
    router: APIRouter,
    resource: Resource,
    *,
    create: Create | None = None,
    read: Read | None = None,
    update: Update | None = None,
    retire: Retire | None = None,
    delete: Delete | None = None,
) -> None:
    """The routes of `resource` on `router`, in this order: create, read, update, retire and
    restore, delete (each only when given)."""
    writes = list(resource.writes)
    if create is not None:
        router.add_api_route(
            resource.path,
            _create(resource, create),
            methods=["POST"],
            status_code=status.HTTP_201_CREATED,
            response_model=resource.read,
            tags=resource.tags,
            dependencies=writes + list(create.dependencies),
        )
    if read is not None:
        router.add_api_route(
            resource.item_path,
            _read(resource, read),
            methods=["GET"],
            response_model=resource.read,
            tags=resource.tags,
        )
    if update is not None:
        router.add_api_route(
            resource.item_path,
            _update(resource, update),
            methods=["PATCH"],
            response_model=resource.read,
            tags=resource.tags,
            dependencies=writes,
        )
    if retire is not None:
        retiring.add_routes(
            router,
            resource.model,
            resource.read,
            what=resource.what,
            id_name=resource.id_name,
            prefix=resource.path,
            may_change=retire.may_change,
            respond=resource.respond,
            change=retire.change,
            dependencies=writes,
        )
    if delete is not None:
        router.add_api_route(
            resource.item_path,
            _delete(resource, delete),
            methods=["DELETE"],
            status_code=status.HTTP_204_NO_CONTENT,
            response_model=None,
            tags=resource.tags,
            dependencies=writes + list(delete.dependencies),
        )

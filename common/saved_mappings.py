"""Saved column mappings: the answer a person gave to "we read your columns as…", kept for their
council and the kind of table, and used again for the next file with the same headings.

Each service keeps the mappings of its own imports, in a `saved_mappings` table of its own
schema. The service that owns an import knows its fields, so it checks a mapping; it saves one
in the transaction that writes the import, so a mapping is kept only with an import that was;
and it offers it to every client of its API, not only the web pages. The table is a tenant
table like the others: row-level security by `org_id`, keyed `(org_id, id)`.

A file's headings are compared normalised (`common.headers.normalise_header`: case, spacing and
punctuation set aside) and as a set, so "Service Area" in a later file finds the mapping saved
for "Service area", and a column moved to another place still does.
"""

import hashlib
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, status
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import PrimaryKeyConstraint, String, UniqueConstraint, select
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, Session, declared_attr, mapped_column

from common import crud
from common.db import SessionDep, TenantMixin, TimestampMixin
from common.headers import normalise_header
from common.identity import Caller
from common.pagination import Page, PageDep


class SavedMappingColumns(TenantMixin, TimestampMixin):
    """A service's saved mappings (declare `class SavedMapping(SavedMappingColumns, Base)` with
    `__tablename__ = "saved_mappings"`). Keyed `(org_id, id)`; the ORM knows a row by `id`."""

    org_id: Mapped[uuid.UUID] = mapped_column(sort_order=-1)
    id: Mapped[uuid.UUID] = mapped_column(default=uuid.uuid4)
    kind: Mapped[str] = mapped_column(String(40))
    """The import it is for: "budget-lines", "kpis", … (the last part of the import's path)."""
    headings_key: Mapped[str] = mapped_column(String(64))
    """sha256 of the file's normalised headings, sorted: what a later file is matched on."""
    headings: Mapped[list[str]] = mapped_column(JSONB)
    """The file's headings as written, in the file's order."""
    mapping: Mapped[dict[str, str]] = mapped_column(JSONB)
    """Heading as written → field key, "not-imported", "each-year" or "each-month"."""
    saved_by: Mapped[str] = mapped_column(String(200), default="")
    version: Mapped[int] = mapped_column(default=1)

    @declared_attr.directive
    def __table_args__(cls) -> tuple[Any, ...]:
        return (
            PrimaryKeyConstraint("org_id", "id"),
            UniqueConstraint("org_id", "kind", "headings_key"),
        )

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        table = cls.__table__  # type: ignore[attr-defined]
        return {"primary_key": [table.c.id], "version_id_col": table.c.version}


def headings_key(headings: Sequence[str]) -> str:
    """What a file's headings are matched on: the same for the same headings in any order,
    case or spacing.

    >>> headings_key(["Service area", "2024/25"]) == headings_key(["2024/25 ", "SERVICE AREA"])
    True
    """
    names = sorted({n for h in headings if (n := normalise_header(h))})
    return hashlib.sha256("\n".join(names).encode()).hexdigest()


def rekeyed(saved: Mapping[str, str], headings: Sequence[str]) -> dict[str, str]:
    """A saved mapping for this file's headings as this file writes them.

    >>> rekeyed({"Service area": "name"}, ["SERVICE AREA", "Budget"])
    {'SERVICE AREA': 'name'}
    """
    by_name = {normalise_header(h): key for h, key in saved.items()}
    return {h: by_name[n] for h in headings if (n := normalise_header(h)) in by_name}


@dataclass
class Recalled:
    """The saved mapping an import used because the request gave none."""

    row: SavedMappingColumns
    mapping: dict[str, str]

    def as_json(self) -> dict[str, object]:
        return {
            "id": str(self.row.id),
            "saved_on": self.row.updated_at.isoformat(),
            "saved_by": self.row.saved_by,
        }


@dataclass
class MappingMemory:
    """The saved mappings of one import (`kind`) in one service, for the request's council."""

    session: Session
    model: type[SavedMappingColumns]
    kind: str

    def recall(self, headings: Sequence[str]) -> Recalled | None:
        """The mapping saved for a file with these headings, written as this file writes them."""
        row = self.session.scalars(
            select(self.model).where(
                self.model.kind == self.kind,
                self.model.headings_key == headings_key(headings),
            )
        ).one_or_none()
        return Recalled(row, rekeyed(row.mapping, headings)) if row else None

    def keep(self, headings: Sequence[str], mapping: Mapping[str, str]) -> None:
        """Save the mapping a person confirmed by importing with it (replacing the one saved
        for these headings before, if it differs)."""
        if not mapping:
            return
        caller: Caller | None = self.session.info.get("caller")
        by = (caller.display_name or caller.user_id) if caller else ""
        recalled = self.recall(headings)
        if recalled is not None and recalled.row.mapping == dict(mapping):
            return
        row = recalled.row if recalled else self.model()
        if recalled is None:
            row.kind, row.headings_key = self.kind, headings_key(headings)
            self.session.add(row)
        row.headings, row.mapping, row.saved_by = [h for h in headings if h], dict(mapping), by
        self.session.flush()


class SavedMappingRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    kind: str = Field(description='The import it is for: "budget-lines", "kpis", …')
    headings: list[str] = Field(description="The headings of the file it was saved for.")
    mapping: dict[str, str] = Field(
        description='Column heading → field key, "not-imported", "each-year" or "each-month".'
    )
    saved_by: str
    created_at: datetime
    updated_at: datetime = Field(description="When it was saved (last changed).")
    version: int


def saved_mappings_router(model: type[SavedMappingColumns], kinds: Sequence[str]) -> APIRouter:
    """`GET /saved-mappings` and `DELETE /saved-mappings/{mapping_id}`, for the imports router
    of the service whose imports are `kinds`."""
    router = APIRouter(prefix="/saved-mappings", tags=["imports"])
    described = "Only the mappings of one import: " + ", ".join(f'"{k}"' for k in kinds) + "."

    @router.get("", response_model=Page[SavedMappingRead])
    def list_saved_mappings(
        session: SessionDep,
        page: PageDep,
        kind: Annotated[str | None, Query(description=described, max_length=40)] = None,
    ) -> Page[SavedMappingRead]:
        """The column mappings the council saved by importing with them, newest first; each is
        used again for a file with the same headings when the import is given no mapping."""
        query = select(model).order_by(model.updated_at.desc(), model.id)
        if kind is not None:
            query = query.where(model.kind == kind)
        found = [SavedMappingRead.model_validate(row) for row in session.scalars(query)]
        return crud.page_from(found, page)

    @router.delete("/{mapping_id}", status_code=status.HTTP_204_NO_CONTENT)
    def delete_saved_mapping(session: SessionDep, mapping_id: uuid.UUID, request: Request) -> None:
        """Forget a saved mapping (If-Match: its version): files with its headings are read by
        their wording again."""
        row = crud.get_or_404(session, model, mapping_id, "saved mapping")
        crud.check_version(request, row)
        crud.delete(session, row)

    return router

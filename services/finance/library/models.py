"""Tables of the savings library across councils.

A council's setting is its own (a tenant row). What councils share and what is published are
platform data: rows of no council (no `org_id`), which every council may read. Row-level security
keeps who may write them: a council writes only the rows it shares (`council_org_id` is its
own), and published tables only a session of no council, a platform administrator's
(migration `c7d2e5f81a36`).
"""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, Text, Uuid, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from common.columns import FinancialYearText, Id, Money
from common.db import TenantMixin, TimestampMixin, VersionedMixin
from services.finance.base import Base


class LibrarySetting(TenantMixin, VersionedMixin, TimestampMixin, Base):
    """Whether a council shares its savings lines with other councils (off until it says so),
    and the name and adult population the library shows beside them."""

    __tablename__ = "library_settings"

    org_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    share_savings: Mapped[bool] = mapped_column(Boolean, default=False)
    council_name: Mapped[str] = mapped_column(String(200), default="")
    adult_population: Mapped[int | None] = mapped_column(Integer, default=None)


class SharedSaving(Base):
    """One year of one savings line of a council that shares them: only its theme, description
    (the line's title), amounts, year and status; never people, notes, owners or ids of its
    projects. Rewritten from the council's lines whenever they change (library/service.py)."""

    __tablename__ = "shared_savings"

    id: Mapped[Id]
    council_org_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    council: Mapped[str] = mapped_column(String(200))
    adult_population: Mapped[int | None] = mapped_column(Integer, default=None)
    savings_line_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    theme: Mapped[str] = mapped_column(String(40), index=True)
    description: Mapped[str] = mapped_column(Text)
    financial_year: Mapped[FinancialYearText]
    planned: Mapped[Money | None]
    achieved: Mapped[Money | None]
    status: Mapped[str] = mapped_column(String(40))
    shared_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class PublishedTable(Base):
    """A published table of councils' savings (a national annex), as a platform administrator
    imported it: its source, and each stated total that disagreed with its lines."""

    __tablename__ = "published_tables"

    id: Mapped[Id]
    source_document: Mapped[str] = mapped_column(Text)
    filename: Mapped[str] = mapped_column(Text, default="")
    sheet: Mapped[str] = mapped_column(Text, default="")
    imported_by: Mapped[str] = mapped_column(String(200))
    imported_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    reconciliations: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    """Each stated total that disagrees with its lines (`common.mapping.reconciliation_json`)."""


class PublishedSaving(Base):
    """One line of a published table: a council's saving on an area, achieved or planned."""

    __tablename__ = "published_savings"

    id: Mapped[Id]
    table_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("published_tables.id", ondelete="CASCADE"), index=True
    )
    row: Mapped[int] = mapped_column(Integer)
    council: Mapped[str] = mapped_column(String(200))
    area_code: Mapped[str] = mapped_column(String(20), default="")
    area: Mapped[str] = mapped_column(Text, default="")
    """The theme or area as the table wrote it."""
    theme: Mapped[str] = mapped_column(String(40), index=True)
    description: Mapped[str] = mapped_column(Text)
    financial_year: Mapped[FinancialYearText]
    planned: Mapped[Money | None]
    achieved: Mapped[Money | None]
    status: Mapped[str] = mapped_column(String(80), default="")
    source_document: Mapped[str] = mapped_column(Text)
    page: Mapped[str] = mapped_column(String(20), default="")
    adult_population: Mapped[int | None] = mapped_column(Integer, default=None)

"""The column mappings this service's imports saved for the council (common/saved_mappings.py)."""

from common.saved_mappings import SavedMappingColumns
from services.projects.base import Base


class SavedMapping(SavedMappingColumns, Base):
    """A mapping a person confirmed by importing with it, for files with the same headings."""

    __tablename__ = "saved_mappings"

"""Telling which priorities and objectives a council's cell means, from the words it uses.

The plan's tables name priorities in slightly different words from cell to cell, and projects
name the objective they serve by its number or by the priority wording: we match both, and say
which links were made and which could not be.
"""

import difflib
import re
import uuid
from dataclasses import dataclass

from services.projects.models import Objective, Priority
from services.projects.plan.rules import Priorities, PriorityGroup, match_objectives, priority_key

OBJECTIVE_NUMBER = re.compile(r"^\s*(\d+)\s*[.):]\s*")
_NUMBER_WORDS = re.compile(r"\b(?:objectives?|obj|nos?|and)\b\.?", re.IGNORECASE)
_NUMBERS_ONLY = re.compile(r"[\d\s,;&]*\d[\d\s,;&]*")
_SAME_STATEMENT = 0.85


def numbered(statement: str) -> tuple[int | None, str]:
    """The number a statement starts with ("1. We will…"), and the statement without it."""
    match = OBJECTIVE_NUMBER.match(statement)
    if match is None:
        return None, statement.strip()
    return int(match[1]), statement[match.end() :].strip()


class PriorityBook:
    """The organisation's priorities, and any new ones the upload names (not yet stored)."""

    def __init__(self, existing: list[Priority]) -> None:
        self.found = Priorities()
        self.ids: list[uuid.UUID | None] = []
        for priority in existing:
            self.found.groups.append(PriorityGroup(priority_key(priority.title), [priority.title]))
            self.ids.append(priority.id)

    def in_cell(self, cell: str) -> list[int]:
        """The priorities a cell names (one a line, or run together as plans paste them)."""
        indexes = list(
            dict.fromkeys(i for line in cell.splitlines() for i in self.found.in_cell(line))
        )
        self.ids.extend([None] * (len(self.found.groups) - len(self.ids)))
        return indexes

    def title(self, index: int) -> str:
        group = self.found.groups[index]
        return group.wordings[0] if self.ids[index] is not None else group.title

    def is_new(self, index: int) -> bool:
        return self.ids[index] is None


@dataclass
class ObjectiveLinks:
    """What a project's objective cell links to: objective ids, and what it could not link."""

    ids: list[uuid.UUID]
    made: list[str]
    not_made: list[str]


def link_objectives(
    cell: str,
    name: str,
    description: str,
    objectives: list[Objective],
    served: dict[uuid.UUID, set[int]],
    book: PriorityBook,
) -> ObjectiveLinks:
    """Objective numbers ("3", "Objective 1 and 2"), an objective's own words, or priority
    wording shared with objectives, judged with the project's own words."""
    text = cell.strip()
    if not text:
        return ObjectiveLinks([], [], ["no objective named"] if objectives else [])
    by_number = {o.number: o for o in objectives}
    if _NUMBERS_ONLY.fullmatch(_NUMBER_WORDS.sub(" ", text)):
        ids, made, not_made = [], [], []
        for number in (int(n) for n in re.findall(r"\d+", text)):
            found = by_number.get(number)
            if found is None:
                not_made.append(f"there is no objective {number}")
            else:
                ids.append(found.id)
                made.append(f"objective {number} (by its number)")
        return ObjectiveLinks(ids, made, not_made)
    key = priority_key(text)
    for objective in objectives:
        ratio = difflib.SequenceMatcher(None, key, priority_key(objective.statement)).ratio()
        if ratio >= _SAME_STATEMENT:
            return ObjectiveLinks(
                [objective.id], [f"objective {objective.number} (by its words)"], []
            )
    priorities = set(book.in_cell(text))
    indexes = match_objectives(
        name,
        description,
        priorities,
        [(o.statement, served.get(o.id, set())) for o in objectives],
    )
    ids = [objectives[i].id for i in indexes]
    made = [f"objective {objectives[i].number} (by shared priority and words)" for i in indexes]
    not_made = []
    if not ids:
        not_made.append(f"'{text}' matched no objective")
    return ObjectiveLinks(ids, made, not_made)

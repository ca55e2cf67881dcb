"""Pure rules of the plan: who may shape it, and reading the words councils use for its
priorities (one priority written several ways, and which objectives a project serves). Used by
the service, the demo data and the objectives and projects import; no I/O, unit-tested."""

import difflib
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

PLAN_EDITORS = frozenset({"admin", "programme_office"})
"""Roles that shape the plan in their council and change every project in it."""


def may_change_plan(*, roles: Iterable[str]) -> bool:
    """Whether a caller may shape the plan: priorities, objectives, programmes and workstreams,
    the improvement plan, adding and removing projects, choosing a project's lead team, and
    importing tables. The programme office and administrators only.

    >>> may_change_plan(roles=["programme_office"])
    True
    >>> may_change_plan(roles=["service_lead"])
    False
    """
    return bool(PLAN_EDITORS & set(roles))


_SENTENCE_BREAK = re.compile(r"(?<=[a-z)])[.;]\s+(?=[A-Z])")
# Plans paste priorities one after another, sometimes without a full stop between them.
_RUN_ON = re.compile(
    r"(?<=[a-z])\s+(?=(?:Deliver|Invest|Work with|Support those|Secure|Prevent|Improve|"
    r"Safeguard|Use procurement|To ensure)\b)"
)


def split_priorities(text: str) -> list[str]:
    """Split a "relevant council plan priority" cell into the priorities it names.

    >>> split_priorities("Deliver good services for our customers Invest in technology.")
    ['Deliver good services for our customers', 'Invest in technology']
    """
    parts: list[str] = []
    for sentence in _SENTENCE_BREAK.split(text.strip()):
        parts.extend(_RUN_ON.split(sentence))
    return [p.strip().rstrip(".").strip() for p in parts if p.strip().rstrip(".").strip()]


_WORD = re.compile(r"[a-z]+")
_SPELLINGS = {"well being": "wellbeing", "well-being": "wellbeing"}


def priority_key(text: str) -> str:
    """A priority's wording reduced for comparison: case, punctuation and spelling set aside.

    >>> priority_key("Safeguard the health and well-being") == priority_key("safeguard the health and wellbeing.")
    True
    """  # noqa: E501
    lowered = text.lower()
    for variant, spelling in _SPELLINGS.items():
        lowered = lowered.replace(variant, spelling)
    return " ".join(_WORD.findall(lowered))


_SAME_PRIORITY = 0.85
"""How alike two wordings must be (difflib ratio) to be the same priority."""


@dataclass
class PriorityGroup:
    key: str
    wordings: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        """The wording the plan uses most often (the first of equals)."""
        return Counter(self.wordings).most_common(1)[0][0]


class Priorities:
    """The plan's priorities, told apart despite differences in wording between cells."""

    def __init__(self) -> None:
        self.groups: list[PriorityGroup] = []

    def find(self, wording: str) -> int:
        key = priority_key(wording)
        for index, group in enumerate(self.groups):
            if difflib.SequenceMatcher(None, key, group.key).ratio() >= _SAME_PRIORITY:
                group.wordings.append(wording)
                return index
        self.groups.append(PriorityGroup(key, [wording]))
        return len(self.groups) - 1

    def in_cell(self, cell: str) -> list[int]:
        return list(dict.fromkeys(self.find(p) for p in split_priorities(cell)))


_STOP = frozenset(
    [
        "the",
        "and",
        "of",
        "to",
        "for",
        "in",
        "a",
        "an",
        "with",
        "our",
        "we",
        "will",
        "by",
        "as",
        "on",
        "at",
        "be",
        "is",
        "are",
        "that",
        "this",
        "their",
        "they",
        "people",
        "support",
        "servic",
        "care",
        "social",
        "adult",
        "adults",
        "asc",
        "new",
        "improv",
        "deliver",
        "review",
        "through",
        "from",
        "all",
        "includ",
        "into",
        "more",
        "who",
        "need",
        "which",
        "ensur",
        "provid",
        "help",
    ]
)


def _words(text_: str) -> set[str]:
    stems = {w[:6] for w in re.findall(r"[a-z]+", text_.lower()) if len(w) > 2}
    return {s for s in stems if s not in _STOP}


def match_objectives(
    name: str,
    description: str,
    priorities: set[int],
    objectives: list[tuple[str, set[int]]],
) -> list[int]:
    """Indexes of the objectives a project serves, judged by shared words.

    Words of the project's name count three times; an objective serving the project's council
    plan priority gains three. The best objective is linked when it scores at least 4, with any
    other scoring at least 80% of it.
    """
    name_words, text_words = _words(name), _words(description)
    scores = []
    for statement, served in objectives:
        words = _words(statement)
        score = 3 * len(name_words & words) + len(text_words & words)
        score += 3 if served & priorities else 0
        scores.append(score)
    best = max(scores, default=0)
    if best < 4:
        return []
    return [i for i, score in enumerate(scores) if score >= 0.8 * best]

"""Pure rules of RAID items: score and severity (no I/O, unit-tested)."""

from enum import StrEnum

from services.projects.portfolio.rules import Rag


class RaidKind(StrEnum):
    RISK = "risk"
    ASSUMPTION = "assumption"
    ISSUE = "issue"
    DEPENDENCY = "dependency"


class RaidStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


def raid_score(likelihood: int, impact: int) -> int:
    """Likelihood times impact, each 1 to 5: 1 to 25.

    >>> raid_score(4, 5)
    20
    """
    if not (1 <= likelihood <= 5 and 1 <= impact <= 5):
        raise ValueError("likelihood and impact are each 1 to 5")
    return likelihood * impact


def raid_severity(score: int) -> Rag:
    """The usual five-by-five matrix bands: 15 and above red, 8 to 14 amber, below 8 green.

    >>> raid_severity(15), raid_severity(8), raid_severity(7)
    (<Rag.RED: 'red'>, <Rag.AMBER: 'amber'>, <Rag.GREEN: 'green'>)
    """
    if score >= 15:
        return Rag.RED
    if score >= 8:
        return Rag.AMBER
    return Rag.GREEN

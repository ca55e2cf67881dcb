"""The savings library's rules: the themes a saving is filed under, the theme a line's words
suggest, and figures per head of adult population. Pure functions, no I/O."""

import re
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum


class Theme(StrEnum):
    REABLEMENT = "reablement"
    CARE_PACKAGE_REVIEWS = "care_package_reviews"
    LEARNING_DISABILITY = "learning_disability"
    RESIDENTIAL_TO_COMMUNITY = "residential_to_community"
    DAY_SERVICES = "day_services"
    TRANSPORT = "transport"
    COMMISSIONING_AND_CONTRACTS = "commissioning_and_contracts"
    WORKFORCE_AND_MANAGEMENT = "workforce_and_management"
    INCOME_AND_CHARGING = "income_and_charging"
    TECHNOLOGY_ENABLED_CARE = "technology_enabled_care"
    FRONT_DOOR_AND_PREVENTION = "front_door_and_prevention"
    HEALTH_FUNDING = "health_funding"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _LABELS.get(self, self.value.replace("_", " ").capitalize())


_LABELS = {
    Theme.TECHNOLOGY_ENABLED_CARE: "Technology-enabled care",
    Theme.RESIDENTIAL_TO_COMMUNITY: "Residential to community",
}

# Each theme's wordings, as regular expressions over the text lower-cased with its punctuation
# turned to spaces. A phrase of several words is stronger evidence than one word, so a match
# counts two for each of its words; a wording marked "~" is a common word that only leans to a
# theme ("review", "posts"), and counts one.
_WORDINGS: dict[Theme, tuple[str, ...]] = {
    Theme.REABLEMENT: (
        r"re ?ablement",
        r"re ?abl(e|ed|ing)",
        r"intermediate care",
        r"step (up|down)",
        r"home first",
        r"discharge to assess",
        r"short term (support|care|intervention)",
    ),
    Theme.CARE_PACKAGE_REVIEWS: (
        r"reviews? of (care |support |home care |residential )*(packages?|placements?|plans?)",
        r"(care|support) (package|plan)s? reviews?",
        r"packages? of care",
        r"care packages?",
        r"~reviews?",
        r"~reviewing",
        r"right ?siz(e|ed|ing)",
        r"strengths? based",
        r"(double|single) handed",
        r"proportionate (care|support)",
        r"double ups?",
    ),
    Theme.LEARNING_DISABILITY: (
        r"learning disabilit(y|ies)",
        r"ld",
        r"autis(m|tic)",
        r"supported living",
        r"shared lives",
        r"~transitions?",
        r"preparing for adulthood",
    ),
    Theme.RESIDENTIAL_TO_COMMUNITY: (
        r"(from|out of) (residential|nursing)( care| homes?| placements?)?",
        r"residential (care|placements?|homes?)",
        r"nursing (care|placements?|homes?)",
        r"care homes?",
        r"extra care",
        r"~residential",
        r"out of (area|county) placements?",
        r"(move|moving) on",
        r"community (based|settings?|alternatives?)",
    ),
    Theme.DAY_SERVICES: (
        r"day (services?|care|centres?|centers?|opportunit(y|ies))",
        r"building based",
    ),
    Theme.TRANSPORT: (
        r"transport(ation)?",
        r"travel( training)?",
        r"fleet",
        r"vehicles?",
        r"taxis?",
        r"mileage",
    ),
    Theme.COMMISSIONING_AND_CONTRACTS: (
        r"re ?commission(ing|ed)?",
        r"commissioning",
        r"contracts?",
        r"contractual",
        r"procure(ment|d)?",
        r"re ?tender(ing|ed)?",
        r"tenders?",
        r"frameworks?",
        r"brokerage",
        r"block (contracts?|purchas(e|ing)|beds?)",
        r"spot purchas(e|ing)",
        r"(provider|market) (rates?|fees?|management|shaping)",
        r"fee (uplifts?|rates?|levels?)",
        r"~providers?",
        r"decommission(ing|ed)?",
    ),
    Theme.WORKFORCE_AND_MANAGEMENT: (
        r"workforce",
        r"staff(ing)?",
        r"vacanc(y|ies)",
        r"restructur(e|es|ed|ing)",
        r"management (costs?|structure|posts?|review|layers?)",
        r"~managers?",
        r"~posts?",
        r"agency (staff|workers|spend|social workers)",
        r"~establishment",
        r"back office",
        r"overtime",
        r"headcount",
    ),
    Theme.INCOME_AND_CHARGING: (
        r"income",
        r"charg(e|es|ing)",
        r"client contributions?",
        r"~contributions?",
        r"financial assessments?",
        r"debts?",
        r"deferred payments?",
        r"unspent direct payments?",
        r"direct payments? (audit|recovery|clawback)",
        r"claw ?back",
        r"~recover(y|ies|ed)",
    ),
    Theme.TECHNOLOGY_ENABLED_CARE: (
        r"assistive technolog(y|ies)",
        r"technology enabled care",
        r"tec",
        r"telecare",
        r"telehealth",
        r"~technolog(y|ies)",
        r"~digital",
        r"sensors?",
        r"alarms?",
        r"~apps?",
        r"robotics?",
    ),
    Theme.FRONT_DOOR_AND_PREVENTION: (
        r"front door",
        r"prevent(ion|ative|ive)",
        r"early (help|intervention)",
        r"information (and|&) advice",
        r"signpost(ing)?",
        r"demand management",
        r"community (connectors?|navigators?|led support)",
        r"social prescribing",
        r"three conversations",
        r"first contact",
        r"carers? (support|breaks)",
        r"~wellbeing",
    ),
    Theme.HEALTH_FUNDING: (
        r"continuing (health )?care",
        r"chc",
        r"health funding",
        r"nhs",
        r"icb",
        r"integrated care boards?",
        r"ccg",
        r"better care fund",
        r"bcf",
        r"joint(ly)? fund(ed|ing)",
        r"section 117",
        r"s ?117",
        r"funded nursing care",
        r"fnc",
        r"health contributions?",
    ),
}
_PATTERNS = {
    theme: [
        (re.compile(rf"(?<![a-z0-9]){w.removeprefix('~')}(?![a-z0-9])"), w.startswith("~"))
        for w in wordings
    ]
    for theme, wordings in _WORDINGS.items()
}


def _plain(text: str) -> str:
    """Lower case, "&" as "and", every other mark a space, one space between words."""
    text = text.lower().replace("&", " and ").replace("\u2019", "'").replace("'", "")
    return " ".join(re.findall(r"[a-z0-9]+", text))


def theme_scores(text: str) -> dict[Theme, int]:
    """How strongly `text` names each theme: two for each word of each wording it contains, one
    for a common word (the longest wording of a theme that matches at a place counts once)."""
    plain = _plain(text)
    scores: dict[Theme, int] = {}
    for theme, patterns in _PATTERNS.items():
        taken: list[tuple[int, int]] = []
        score = 0
        for pattern, common in sorted(patterns, key=lambda p: -len(p[0].pattern)):
            for match in pattern.finditer(plain):
                if any(match.start() < end and start < match.end() for start, end in taken):
                    continue  # inside a longer wording of this theme already counted
                taken.append(match.span())
                score += 1 if common else 2 * len(match.group().split())
        if score:
            scores[theme] = score
    return scores


def theme_of(*texts: str) -> Theme:
    """The theme a saving's words suggest: the theme whose wordings they name most strongly
    (ties go to the theme listed first); `OTHER` when they name none.

    >>> theme_of("Review of care packages"), theme_of("Assistive technology")
    (<Theme.CARE_PACKAGE_REVIEWS: 'care_package_reviews'>, <Theme.TECHNOLOGY_ENABLED_CARE: 'technology_enabled_care'>)
    >>> theme_of("Staffordshire lunch club"), theme_of("")
    (<Theme.OTHER: 'other'>, <Theme.OTHER: 'other'>)
    """  # noqa: E501
    scores = theme_scores(" . ".join(texts))
    if not scores:
        return Theme.OTHER
    order = list(Theme)
    return max(scores, key=lambda theme: (scores[theme], -order.index(theme)))


def chosen_or_suggested(chosen: str | None, *texts: str) -> Theme:
    """A line's theme: the one a person chose, else the one its words suggest.

    >>> chosen_or_suggested("transport", "Review of care packages")
    <Theme.TRANSPORT: 'transport'>
    """
    return Theme(chosen) if chosen else theme_of(*texts)


def read_theme(text: str) -> Theme | None:
    """A theme named as a theme ("Care package reviews", "care_package_reviews", "TEC"), or None
    when the text is an area in its own words (which `theme_of` reads).

    >>> read_theme("Technology-enabled care"), read_theme("Review of care packages")
    (<Theme.TECHNOLOGY_ENABLED_CARE: 'technology_enabled_care'>, None)
    """
    plain = _plain(text)
    for theme in Theme:
        if plain in (_plain(theme.value.replace("_", " ")), _plain(theme.label)):
            return theme
    return {"tec": Theme.TECHNOLOGY_ENABLED_CARE, "chc": Theme.HEALTH_FUNDING}.get(plain)


PENNY = Decimal("0.01")


def per_head(amount: Decimal, population: int | None) -> Decimal | None:
    """`amount` per head of an adult population, to the penny (halves up); None without one.

    >>> per_head(Decimal("2100000"), 312_456), per_head(Decimal("5"), None)
    (Decimal('6.72'), None)
    """
    if not population or population <= 0:
        return None
    return (amount / population).quantize(PENNY, rounding=ROUND_HALF_UP)

"""The savings library's theme rules, on wording as councils write it (not only the examples the
rules were written from), and figures per head."""

import math
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.finance.library.rules import (
    Theme,
    chosen_or_suggested,
    per_head,
    read_theme,
    theme_of,
)

WORDING = [
    # as national annexes word their areas
    ("Review of care packages", Theme.CARE_PACKAGE_REVIEWS),
    ("Assistive technology", Theme.TECHNOLOGY_ENABLED_CARE),
    ("Reablement", Theme.REABLEMENT),
    ("Learning disability supported living", Theme.LEARNING_DISABILITY),
    ("Day services", Theme.DAY_SERVICES),
    ("Transport", Theme.TRANSPORT),
    # as councils' own trackers word their lines
    ("Strengths-based reviews of home care", Theme.CARE_PACKAGE_REVIEWS),
    ("Right-sizing of double-handed packages", Theme.CARE_PACKAGE_REVIEWS),
    ("CARE PACKAGE REVIEWS (OLDER PEOPLE)", Theme.CARE_PACKAGE_REVIEWS),
    ("Expand the re-ablement service", Theme.REABLEMENT),
    ("Home First / discharge to assess", Theme.REABLEMENT),
    ("Intermediate care beds step-down", Theme.REABLEMENT),
    ("LD transitions: preparing for adulthood", Theme.LEARNING_DISABILITY),
    ("Autism pathway", Theme.LEARNING_DISABILITY),
    ("Shared Lives growth", Theme.LEARNING_DISABILITY),
    ("Moving people from residential care to supported living", Theme.RESIDENTIAL_TO_COMMUNITY),
    ("Fewer nursing home placements; more extra care", Theme.RESIDENTIAL_TO_COMMUNITY),
    ("Out of county placements brought home", Theme.RESIDENTIAL_TO_COMMUNITY),
    ("Day centre modernisation", Theme.DAY_SERVICES),
    ("Day opportunities redesign", Theme.DAY_SERVICES),
    ("Travel training for younger adults", Theme.TRANSPORT),
    ("Fleet and taxi review", Theme.TRANSPORT),
    ("Re-tender home care framework", Theme.COMMISSIONING_AND_CONTRACTS),
    ("Block contract for beds", Theme.COMMISSIONING_AND_CONTRACTS),
    ("Recommissioning of advocacy", Theme.COMMISSIONING_AND_CONTRACTS),
    ("Provider fee uplift held at 3%", Theme.COMMISSIONING_AND_CONTRACTS),
    ("Deletion of vacant posts", Theme.WORKFORCE_AND_MANAGEMENT),
    ("Management restructure", Theme.WORKFORCE_AND_MANAGEMENT),
    ("Reduce agency social workers", Theme.WORKFORCE_AND_MANAGEMENT),
    ("Review of management posts", Theme.WORKFORCE_AND_MANAGEMENT),
    ("Fairer charging policy", Theme.INCOME_AND_CHARGING),
    ("Client contributions after financial assessment", Theme.INCOME_AND_CHARGING),
    ("Recovery of unspent direct payments", Theme.INCOME_AND_CHARGING),
    ("Debt recovery", Theme.INCOME_AND_CHARGING),
    ("TEC first", Theme.TECHNOLOGY_ENABLED_CARE),
    ("Telecare & sensors", Theme.TECHNOLOGY_ENABLED_CARE),
    ("Technology-enabled care", Theme.TECHNOLOGY_ENABLED_CARE),
    ("Front door redesign: three conversations", Theme.FRONT_DOOR_AND_PREVENTION),
    ("Prevention and early help", Theme.FRONT_DOOR_AND_PREVENTION),
    ("Information & advice, signposting", Theme.FRONT_DOOR_AND_PREVENTION),
    ("Digital front door", Theme.FRONT_DOOR_AND_PREVENTION),
    ("Continuing Healthcare (CHC) joint funding", Theme.HEALTH_FUNDING),
    ("Better Care Fund contribution", Theme.HEALTH_FUNDING),
    ("S117 aftercare funded by the ICB", Theme.HEALTH_FUNDING),
    ("Funded nursing care rates", Theme.HEALTH_FUNDING),
    ("Lunch club grants", Theme.OTHER),
    ("", Theme.OTHER),
]


@pytest.mark.parametrize(("text", "theme"), WORDING)
def test_a_lines_words_give_its_theme(text: str, theme: Theme) -> None:
    assert theme_of(text) == theme


def test_every_theme_but_other_is_reached_by_some_wording() -> None:
    assert {theme for _, theme in WORDING} == set(Theme)


@pytest.mark.parametrize(
    "text",
    ["Staffordshire lunch club", "Tecton building lease", "Childrens nursery", "Contractor VAT"],
)
def test_a_wording_inside_another_word_is_not_a_match(text: str) -> None:
    # staff, tec, nursing, contract: each only as a word of its own
    assert theme_of(text) == Theme.OTHER


def test_a_phrase_outweighs_a_common_word_of_another_theme() -> None:
    # "review" leans to care package reviews, but "transport" is the subject.
    assert theme_of("Transport policy review") == Theme.TRANSPORT
    assert theme_of("Reablement: review of home care packages") == Theme.CARE_PACKAGE_REVIEWS


_MARKS = st.sampled_from([" ", "  ", " - ", ": ", ", ", " / ", " (", ") ", "\n"])


@given(
    st.sampled_from([(t, theme) for t, theme in WORDING if t]),
    st.lists(st.booleans(), min_size=1, max_size=80),
    _MARKS,
    _MARKS,
)
def test_case_and_punctuation_around_the_words_never_change_the_theme(
    case: tuple[str, Theme], upper: list[bool], before: str, after: str
) -> None:
    text, theme = case
    cased = "".join(c.upper() if upper[i % len(upper)] else c.lower() for i, c in enumerate(text))
    assert theme_of(before + cased + after) == theme


@given(st.sampled_from([t for t, theme in WORDING if theme is not Theme.OTHER]))
def test_a_description_that_names_nothing_leaves_the_titles_theme(text: str) -> None:
    assert theme_of(text, "Agreed at cabinet in March; figures from the ledger") == theme_of(text)


def test_a_persons_choice_wins_over_the_words() -> None:
    assert chosen_or_suggested("transport", "Review of care packages") == Theme.TRANSPORT
    assert chosen_or_suggested(None, "Review of care packages") == Theme.CARE_PACKAGE_REVIEWS


@pytest.mark.parametrize(
    ("text", "theme"),
    [
        ("Care package reviews", Theme.CARE_PACKAGE_REVIEWS),
        ("care_package_reviews", Theme.CARE_PACKAGE_REVIEWS),
        ("TECHNOLOGY-ENABLED CARE", Theme.TECHNOLOGY_ENABLED_CARE),
        ("TEC", Theme.TECHNOLOGY_ENABLED_CARE),
        ("Front door and prevention", Theme.FRONT_DOOR_AND_PREVENTION),
        ("Front door & prevention", Theme.FRONT_DOOR_AND_PREVENTION),
        ("Review of care packages", None),
    ],
)
def test_a_theme_named_as_a_theme_is_read_as_one(text: str, theme: Theme | None) -> None:
    assert read_theme(text) == theme


@given(
    st.integers(min_value=0, max_value=10**13).map(lambda p: Decimal(p) / 100),
    st.integers(min_value=1, max_value=20_000_000),
)
def test_a_figure_per_head_is_the_exact_quotient_rounded_to_the_penny(
    amount: Decimal, population: int
) -> None:
    pence = Fraction(amount) * 100 / population
    halves_up = math.floor(pence + Fraction(1, 2))
    assert per_head(amount, population) == Decimal(halves_up) / 100


def test_no_population_gives_no_figure_per_head() -> None:
    assert per_head(Decimal("100"), None) is None
    assert per_head(Decimal("100"), 0) is None

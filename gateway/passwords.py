"""What makes a new password acceptable (ASVS 5.0 6.2): at least 12 characters (the API schemas),
not a common password, and not the person's email name or this service's name.

A password is compared in lower case, with look-alike characters read as letters (`p@55w0rd`),
spaces and separators ignored, digits and symbols added at either end ignored (`Password123!`)
and a repeated word read once (`monkeymonkey`): these are how people stretch a common password to
12 characters, and guessing tools try them first.
"""

import re
import unicodedata
from functools import cache
from pathlib import Path

from common.errors import FieldError, ValidationFailed

COMMON_PASSWORDS = Path(__file__).parent / "data" / "common_passwords.txt"
SERVICE_NAMES = ("asctracker", "adultsocialcare")
"""This service's names, squashed as `_squashed` leaves them."""
TOO_COMMON = (
    "This password is too common. Choose one that is harder to guess, like 3 or 4 random words"
)
TOO_PERSONAL = "The password must not contain the email address or the name of this service"
BLANK = "Enter a password that is not only spaces"
CONTROL_CHARACTERS = (
    "The password must not contain control characters, such as tabs, line breaks or null"
)
TOO_SHORT = "The password must be 12 characters or more"
MIN_LENGTH = 12
_LOOK_ALIKES = (
    str.maketrans("@4310$5!7+", "aaeiossitt"),
    str.maketrans("@4310$5!7+", "aaelossitt"),
)
_ENDS = re.compile(r"^[\W\d_]+|[\W\d_]+$")
_SEPARATORS = re.compile(r"[\s\-_.]+")


@cache
def common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


def _squashed(text: str) -> str:
    return _SEPARATORS.sub("", text.lower())


def _single(text: str) -> str:
    """`text` once, if it is one word typed two or more times (`abcabcabc` → `abc`)."""
    for size in range(1, len(text) // 2 + 1):
        if len(text) % size == 0 and text[:size] * (len(text) // size) == text:
            return text[:size]
    return text


def _readings(password: str) -> set[str]:
    """The ways a guesser would read `password` back to a common one."""
    lowered = password.lower()
    readings = {lowered, _squashed(lowered)}
    readings |= {_ENDS.sub("", reading) for reading in readings}  # before `2024` reads as `zoza`
    readings |= {reading.translate(table) for reading in readings for table in _LOOK_ALIKES}
    readings |= {_ENDS.sub("", reading) for reading in readings}
    readings |= {_single(reading) for reading in readings}
    readings |= {_ENDS.sub("", reading) for reading in readings}
    return {reading for reading in readings if reading}


def is_common(password: str) -> bool:
    """Whether `password` is a common one, however decorated.

    >>> is_common("Liverpool2024!"), is_common("a long enough password")
    (True, False)
    """
    common = common_passwords()
    return any(reading in common for reading in _readings(password))


def _personal_words(email: str) -> set[str]:
    """The email's name (`jo.bloggs` of `jo.bloggs@council.gov.uk`) and its parts of 4 letters or
    more, squashed; too short a name would refuse half of every dictionary."""
    local = email.strip().lower().partition("@")[0]
    words = {_squashed(local)} | {part for part in re.split(r"[\W_\d]+", local) if len(part) >= 4}
    return {word for word in words if len(word) >= 3}


def normalise_password(password: str) -> str:
    """The form a password is hashed and checked in: Unicode NFKC (ASVS 5.0 6.2.9's "any
    characters" means the same characters typed on another keyboard or system must match).

    >>> normalise_password("ﬁve ①")
    'five 1'
    """
    return unicodedata.normalize("NFKC", password)


def password_problem(password: str, *, email: str) -> str | None:
    """Why `password` may not be someone's (whose address is `email`), or None if it may."""
    password = normalise_password(password)
    if not password.strip():
        return BLANK
    if any(unicodedata.category(character) == "Cc" for character in password):
        return CONTROL_CHARACTERS
    if len(password) < MIN_LENGTH:
        return TOO_SHORT
    readings = {_squashed(password)}
    readings |= {reading.translate(table) for reading in readings for table in _LOOK_ALIKES}
    if any(
        word in reading
        for word in (*SERVICE_NAMES, *_personal_words(email))
        for reading in readings
    ):
        return TOO_PERSONAL
    if is_common(password):
        return TOO_COMMON
    return None


def require_acceptable_password(password: str, *, email: str, field: str) -> None:
    """Refuse (422, the message next to `field`) a password `password_problem` finds fault with."""
    if problem := password_problem(password, email=email):
        raise ValidationFailed(problem, errors=[FieldError(field, problem)])

"""New passwords (ASVS 5.0 6.2): at least 12 characters, not a common one however decorated, and
not holding the person's email name or this service's name; on every way a password is set."""

import uuid

import pytest
from fastapi.testclient import TestClient

from common.db import Database
from common.identity import Role
from gateway.models import User
from gateway.passwords import (
    BLANK,
    CONTROL_CHARACTERS,
    TOO_COMMON,
    TOO_PERSONAL,
    TOO_SHORT,
    common_passwords,
    is_common,
    password_problem,
)
from tests.identity.conftest import (
    PASSWORD,
    add_user,
    change_password,
    new_person,
    post_signed_in,
    sign_in,
)


@pytest.mark.parametrize(
    "password",
    [
        "password1234",
        "Password123!",
        "P@55w0rd2024",
        "qwertyuiop123",
        "1qaz2wsx3edc",
        "123456789012",
        "Liverpool2024!",
        "monkeymonkey",
        "Sunshine!!!!",
        "iloveyou forever",
        "Correct Horse Battery Staple",
        "yyyyyyyyyyyy",
    ],
)
def test_common_passwords_are_refused_however_they_are_decorated(password: str) -> None:
    assert is_common(password)
    assert password_problem(password, email="someone@council.example") == TOO_COMMON


@pytest.mark.parametrize(
    "password",
    ["a long enough password", "purple kettle orbit lamp", "Tr0ub4dor&3xyz", "asc-demo-password"],
)
def test_uncommon_passwords_are_accepted(password: str) -> None:
    assert password_problem(password, email="someone@council.example") is None


def test_the_list_holds_a_few_thousand_common_passwords_in_lower_case() -> None:
    common = common_passwords()
    assert 2000 <= len(common) <= 20_000
    assert {"123456", "password", "qwerty", "iloveyou", "liverpool"} <= common
    assert all(entry == entry.lower() for entry in common)


@pytest.mark.parametrize(
    ("password", "email"),
    [
        ("jo.bloggs rocks the house", "jo.bloggs@council.example"),
        ("my name is bloggs forever", "jo.bloggs@council.example"),
        ("JoBloggs is a good person", "jo.bloggs@council.example"),
        ("my ASC Tracker password", "someone@council.example"),
        ("adult-social-care-rules", "someone@council.example"),
    ],
)
def test_a_password_holding_the_email_name_or_the_service_name_is_refused(
    password: str, email: str
) -> None:
    assert password_problem(password, email=email) == TOO_PERSONAL


def test_an_admin_adding_someone_with_a_common_password_sees_why_by_the_field(
    browser: TestClient, person: User
) -> None:
    typed = new_person(password="Password123456")
    response = post_signed_in(browser, person.email, "/admin/users/new", form=typed)
    assert response.status_code == 422
    assert 'id="password-error"' in response.text
    assert "This password is too common" in response.text
    assert 'value="new.person@demo.example"' in response.text  # what they typed is kept


def test_an_admin_cannot_set_a_password_holding_the_persons_email_name(
    browser: TestClient, person: User, database: Database, demo_org: object
) -> None:
    colleague = add_user(database, person.org_id, Role.VIEWER, email="sam.wilkinson@demo.example")
    csrf = sign_in(browser, person.email)
    current = browser.get(f"/api/v1/users/{colleague.id}")
    response = browser.patch(
        f"/api/v1/users/{colleague.id}",
        json={"password": "wilkinson family holiday"},
        headers={"X-CSRF-Token": csrf, "If-Match": current.headers["etag"]},
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "password", "message": TOO_PERSONAL}]


def test_a_person_cannot_change_their_password_to_a_common_one(
    browser: TestClient, person: User
) -> None:
    csrf = sign_in(browser, person.email)
    response = change_password(browser, csrf, PASSWORD, "qwertyuiop1234")
    assert response.status_code == 422
    assert 'id="new_password-error"' in response.text
    assert "This password is too common" in response.text
    sign_in(browser, person.email, csrf=csrf)  # the old password still works


@pytest.mark.parametrize(
    ("password", "message"),
    [
        (" " * 12, BLANK),
        ("\u3000" * 12, BLANK),  # ideographic spaces: NFKC reads them as spaces
        ("\x00" * 12, CONTROL_CHARACTERS),
        ("purple kettle\torbit", CONTROL_CHARACTERS),
        ("purple kettle\norbit", CONTROL_CHARACTERS),
        ("e\u0301" * 6, TOO_SHORT),  # 12 code points, 6 characters once composed
    ],
)
def test_blank_and_control_character_passwords_are_refused_by_the_field(
    browser: TestClient, person: User, password: str, message: str
) -> None:
    csrf = sign_in(browser, person.email)
    response = browser.post(
        "/api/v1/users",
        headers={"X-CSRF-Token": csrf},
        json={
            "email": "new.person@demo.example",
            "display_name": "New person",
            "roles": ["viewer"],
            "password": password,
        },
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "password", "message": message}]


def test_passwords_are_compared_in_nfkc_form(database: Database, demo_org: uuid.UUID) -> None:
    from gateway.accounts import hash_password, password_matches

    stored = hash_password("ﬁne purple kettle")  # the "fi" ligature, as some keyboards type it
    assert password_matches(stored, "fine purple kettle")
    assert password_matches(stored, "ﬁne purple kettle")
    assert not password_matches(stored, "fine purple kettles")

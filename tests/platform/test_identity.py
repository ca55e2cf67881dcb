"""Services trust only identities the gateway signed, and only for a short time."""

import uuid

import pytest

from common.errors import Unauthorized
from common.identity import Caller, Role, sign_identity, verify_identity

KEY = "k" * 40
CALLER = Caller(org_id=uuid.uuid4(), user_id="u1", roles=frozenset({Role.VIEWER}))


def test_a_signed_identity_round_trips() -> None:
    token = sign_identity(CALLER, KEY, ttl_seconds=30, now=1000)
    assert verify_identity(token, KEY, now=1010) == CALLER


def test_an_expired_identity_is_refused() -> None:
    token = sign_identity(CALLER, KEY, ttl_seconds=30, now=1000)
    with pytest.raises(Unauthorized, match="expired"):
        verify_identity(token, KEY, now=1031)


def test_an_identity_signed_with_another_key_is_refused() -> None:
    token = sign_identity(CALLER, "x" * 40, ttl_seconds=30, now=1000)
    with pytest.raises(Unauthorized, match="not signed"):
        verify_identity(token, KEY, now=1000)


def test_a_tampered_identity_is_refused() -> None:
    token = sign_identity(CALLER, KEY, ttl_seconds=30, now=1000)
    other = sign_identity(
        CALLER.model_copy(update={"roles": frozenset({Role.ADMIN})}),
        "x" * 40,
        ttl_seconds=30,
        now=1000,
    )
    forged = other.split(".")[0] + "." + token.split(".")[1]
    with pytest.raises(Unauthorized):
        verify_identity(forged, KEY, now=1000)


@pytest.mark.parametrize("token", ["", "abc", "a.b.c", "!!!.???"])
def test_garbage_is_refused(token: str) -> None:
    with pytest.raises(Unauthorized):
        verify_identity(token, KEY, now=1000)

"""Services trust only identities the gateway signed, and only for a short time."""

import secrets
import uuid

import pytest

from common.errors import Unauthorized
from common.identity import Caller, Role, sign_identity, signing_key_problem, verify_identity

KEY = "8f2b1c9e4d7a6053b1e2f4c8a9d0e7b3c6f1a2d4e5b8c9f0a1b3d5e7f9c2a4b6"
OTHER_KEY = "Zq3v9XkP2mR7tW1yB8nC4dF6gH0jL5sA"
CALLER = Caller(org_id=uuid.uuid4(), user_id="u1", roles=frozenset({Role.VIEWER}))


def signed(caller: Caller = CALLER, key: str = KEY, *, ttl: int = 30, now: int = 1000) -> str:
    """An identity as the gateway signs it for the kpi service."""
    return sign_identity(caller, key, audience="kpi", ttl_seconds=ttl, now=now)


def verified(token: str, *, audience: str = "kpi", now: int = 1000) -> Caller:
    """The identity as a service reads it: with the real key and a two-minute limit."""
    return verify_identity(token, KEY, audience=audience, max_ttl_seconds=120, now=now)


def test_a_signed_identity_round_trips() -> None:
    assert verified(signed(), now=1010) == CALLER


def test_an_expired_identity_is_refused() -> None:
    token = signed()
    with pytest.raises(Unauthorized, match="expired"):
        verified(token, now=1031)


def test_an_identity_signed_with_another_key_is_refused() -> None:
    token = signed(key=OTHER_KEY)
    with pytest.raises(Unauthorized, match="not signed"):
        verified(token)


def test_a_tampered_identity_is_refused() -> None:
    token = signed()
    other = signed(CALLER.model_copy(update={"roles": frozenset({Role.ADMIN})}), OTHER_KEY)
    forged = other.split(".")[0] + "." + token.split(".")[1]
    with pytest.raises(Unauthorized):
        verified(forged)


@pytest.mark.parametrize("token", ["", "abc", "a.b.c", "!!!.???"])
def test_garbage_is_refused(token: str) -> None:
    with pytest.raises(Unauthorized):
        verified(token)


def test_an_identity_made_for_another_service_is_refused() -> None:
    token = signed()
    with pytest.raises(Unauthorized, match="another part"):
        verified(token, audience="finance")


@pytest.mark.parametrize("ttl", [121, 10**9])
def test_an_identity_made_to_live_longer_than_the_maximum_is_refused(ttl: int) -> None:
    token = signed(ttl=ttl)
    with pytest.raises(Unauthorized, match="longer"):
        verified(token)


def test_an_identity_issued_in_the_future_is_refused() -> None:
    token = signed(now=2000)
    with pytest.raises(Unauthorized, match="longer"):
        verified(token)


@pytest.mark.parametrize(
    "key",
    ["a" * 32, "test-signing-key-" + "x" * 32, "short-but-random-9f8e7d", "ab" * 40],
)
def test_a_weak_signing_key_is_refused(key: str) -> None:
    assert signing_key_problem(key)


def test_generated_keys_are_accepted() -> None:
    assert all(signing_key_problem(secrets.token_hex(32)) is None for _ in range(50))
    assert all(signing_key_problem(secrets.token_urlsafe(48)) is None for _ in range(50))

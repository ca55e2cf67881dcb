"""Count the SQL statements a block of code sends, to hold endpoints to a statement budget."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event

from common.identity import IDENTITY_HEADER, Caller, sign_identity

# The test's own transaction wraps each request's in a savepoint; the services send no such thing.
_TEST_TRANSACTION = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")


@dataclass
class Statements:
    """The statements sent while the block ran, in order (not the test transaction's own)."""

    sent: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.sent)

    def __str__(self) -> str:
        return f"{self.count} statements:\n" + "\n".join(s.split("\n")[0] for s in self.sent)


@contextmanager
def count_statements(engine: Engine) -> Iterator[Statements]:
    """Record every statement any connection of `engine` sends inside the block, e.g.
    `with count_statements(engine) as sent: client.get("/savings-lines")`, then `sent.count`."""
    statements = Statements()

    def record(
        _conn: Any, _cursor: Any, statement: str, _params: Any, _context: Any, _many: bool
    ) -> None:
        if not statement.startswith(_TEST_TRANSACTION):
            statements.sent.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def straight_to(app: FastAPI, caller: Caller, signing_key: str) -> TestClient:
    """A client on one service app, past the gateway (whose own statements, such as its rate
    limiter's, are not the service's budget), acting as `caller`."""
    token = sign_identity(caller, signing_key, audience=app.state.name, ttl_seconds=120)
    return TestClient(app, base_url="http://service", headers={IDENTITY_HEADER: token})


def statements_for_sizes(
    engine: Engine,
    client: TestClient,
    url: str,
    add: Callable[[int], None],
    sizes: tuple[int, ...] = (5, 50),
) -> list[int]:
    """The statements one GET of `url` sends once `add(n)` has made each of the first `size`
    rows, for each size in turn: equal counts mean the endpoint's queries do not grow with the
    rows it shows."""
    counts: list[int] = []
    made = 0
    for size in sizes:
        for n in range(made, size):
            add(n)
        made = size
        with count_statements(engine) as sent:
            response = client.get(url)
        assert response.status_code == 200, response.text
        counts.append(sent.count)
    return counts

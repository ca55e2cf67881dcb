"""Schemathesis over every operation of the merged OpenAPI: no 5xx, responses match their
documented schemas, and every 4xx is problem+json. Bounded here; `make fuzz` goes deeper."""

import os
from typing import Any

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
)
from schemathesis.core.result import Ok
from schemathesis.generation.case import Case

from stack.testing.plugin import System

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "8"))


def problem_json_for_client_errors(ctx: Any, response: Any, case: Case[Any]) -> bool:
    if 400 <= response.status_code < 500:
        content_type = response.headers.get("content-type", [""])
        if isinstance(content_type, list):
            content_type = content_type[0] if content_type else ""
        assert content_type.startswith("application/problem+json"), (
            f"{response.status_code} answered with {content_type!r}, not problem+json"
        )
    return True


CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    content_type_conformance,
    problem_json_for_client_errors,
]


def test_every_operation_holds_under_generated_input(system: System) -> None:
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", system.gateway)
    failures: list[str] = []
    results = list(schema.get_all_operations())
    failures += [f"unreadable operation: {r.err()}" for r in results if not isinstance(r, Ok)]
    operations = [r.ok() for r in results if isinstance(r, Ok)]
    assert len(operations) > 3
    for operation in operations:

        @given(operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
            phases=[Phase.explicit, Phase.generate],  # report, don't spend minutes shrinking
        )
        def run(case: Case[Any]) -> None:
            case.call_and_validate(checks=CHECKS)

        try:
            run()
        except Exception as error:  # collect every operation's failure, then report them all
            failures.append(f"{operation.label}: {str(error)[:600]}")
    assert failures == [], "\n\n".join(failures)

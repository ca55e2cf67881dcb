"""The system as `make run` starts it: five processes on their own ports, over TCP."""

import subprocess
from collections.abc import Iterator

import httpx
import pytest

from stack.apps import APPS
from stack.testing.processes import running_system

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def running(
    pg_server_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[dict[str, str], dict[str, subprocess.Popen[bytes]]]]:
    with running_system(pg_server_url, tmp_path_factory.mktemp("logs")) as system:
        yield system.env, system.processes


def test_every_app_is_ready_and_the_gateway_serves_a_styled_page(
    running: tuple[dict[str, str], dict[str, subprocess.Popen[bytes]]],
) -> None:
    env, _ = running
    for name in APPS:
        assert httpx.get(env[f"{name.upper()}_URL"] + "/readyz").status_code == 200
    page = httpx.get(env["GATEWAY_URL"] + "/")
    assert page.status_code == 200
    assert "govuk-frontend.min.css" in page.text
    assert "Demo Council" in page.text
    assert httpx.get(env["GATEWAY_URL"] + "/api/v1/kpi/measures").status_code == 200


def test_a_service_reached_directly_without_the_gateway_refuses(
    running: tuple[dict[str, str], dict[str, subprocess.Popen[bytes]]],
) -> None:
    env, _ = running
    assert httpx.get(env["KPI_URL"] + "/measures").status_code == 401


def test_stopping_one_service_leaves_the_rest_answering(
    running: tuple[dict[str, str], dict[str, subprocess.Popen[bytes]]],
) -> None:
    env, processes = running
    processes["finance"].terminate()
    processes["finance"].wait(timeout=10)
    gateway = env["GATEWAY_URL"]
    down = httpx.get(gateway + "/api/v1/finance/budget-lines")
    assert down.status_code == 502
    assert down.headers["content-type"] == "application/problem+json"
    assert httpx.get(gateway + "/api/v1/kpi/measures").status_code == 200
    assert httpx.get(gateway + "/api/v1/projects/priorities").status_code == 200
    dashboard = httpx.get(gateway + "/")
    assert dashboard.status_code == 200
    assert "finance service is not answering" in dashboard.text

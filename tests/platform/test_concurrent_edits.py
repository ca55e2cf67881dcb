"""Many clients editing one record at once, over real processes: every write is either applied or
answered 412, and no applied write is lost."""

import threading
import time
from decimal import Decimal

import httpx
import pytest

from stack.testing.processes import RunningSystem, live_fixture

pytestmark = pytest.mark.e2e
WRITERS = 6
WRITES_EACH = 5


live = live_fixture("asc_conc")


def test_no_lost_update_under_concurrent_edits(live: RunningSystem) -> None:
    base = live.url() + "/api/v1/kpi/measures"
    created = httpx.post(base, json={"code": "CONC", "title": "Shared", "definition": ""})
    assert created.status_code == 201, created.text
    url = f"{base}/{created.json()['id']}"
    applied: list[str] = []
    refused: list[str] = []
    unexpected: list[int] = []

    def writer(n: int) -> None:
        deadline = time.monotonic() + 30
        with httpx.Client(timeout=10) as client:
            for i in range(WRITES_EACH):
                token = f"[w{n}.{i}]"
                while time.monotonic() < deadline:
                    current = client.get(url)
                    body = {"definition": current.json()["definition"] + token}
                    response = client.patch(
                        url, json=body, headers={"If-Match": current.headers["ETag"]}
                    )
                    if response.status_code == 200:
                        applied.append(token)
                        break
                    if response.status_code == 412:
                        refused.append(token)
                        continue  # read again and retry, as a person would
                    unexpected.append(response.status_code)
                    break

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert unexpected == []
    final = httpx.get(url).json()
    assert sorted(applied) == sorted(
        f"[w{n}.{i}]" for n in range(WRITERS) for i in range(WRITES_EACH)
    )
    for token in applied:
        assert final["definition"].count(token) == 1, f"{token} lost or doubled"
    assert final["version"] == 1 + len(applied)
    assert refused, "the writers never collided, so this proved nothing; raise WRITERS"


def test_update_without_if_match_is_428_over_tcp(live: RunningSystem) -> None:
    base = live.url() + "/api/v1/kpi/measures"
    created = httpx.post(base, json={"code": "C428", "title": "One"}).json()
    response = httpx.patch(f"{base}/{created['id']}", json={"title": "Two"})
    assert response.status_code == 428


def test_parallel_retries_with_one_idempotency_key_create_one_record(live: RunningSystem) -> None:
    base = live.url() + "/api/v1/kpi/measures"
    body = {"code": "IDEM", "title": "Sent many times at once"}
    statuses: list[int] = []

    def retry() -> None:
        with httpx.Client(timeout=10) as client:
            response = client.post(base, json=body, headers={"Idempotency-Key": "parallel-1"})
            statuses.append(response.status_code)

    threads = [threading.Thread(target=retry) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert set(statuses) <= {201, 409}
    assert 201 in statuses
    listed = httpx.get(base, params={"limit": 500}).json()["items"]
    assert [m["code"] for m in listed].count("IDEM") == 1


def test_totals_equal_the_sum_of_their_parts_after_concurrent_returns(live: RunningSystem) -> None:
    api = live.url() + "/api/v1/finance"
    year = "2025/26"
    tracker = httpx.get(f"{api}/savings-lines", params={"financial_year": year, "limit": 500})
    lines = [row for row in tracker.json()["items"] if row["selected"]["latest_month"]]
    assert lines, "the demo council has savings returns for 2025/26"
    before = {row["id"]: Decimal(row["selected"]["achieved_to_date"]) for row in lines}
    applied: dict[str, int] = dict.fromkeys(before, 0)
    lock = threading.Lock()

    def service_lead(n: int) -> None:
        deadline = time.monotonic() + 30
        with httpx.Client(timeout=10) as client:
            for row in lines[n % 2 :: 2] * 2:
                url = f"{api}/savings-lines/{row['id']}/entries/{row['selected']['latest_month']}"
                while time.monotonic() < deadline:
                    current = client.get(url)
                    achieved = Decimal(current.json()["achieved_to_date"]) + 1
                    response = client.patch(
                        url,
                        json={"achieved_to_date": str(achieved)},
                        headers={"If-Match": current.headers["ETag"]},
                    )
                    if response.status_code == 200:
                        with lock:
                            applied[row["id"]] += 1
                        break
                    assert response.status_code == 412, response.text

    threads = [threading.Thread(target=service_lead, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    after = httpx.get(f"{api}/savings-lines", params={"financial_year": year, "limit": 500}).json()
    rows = {row["id"]: row for row in after["items"]}
    for line_id, achieved in before.items():  # every applied return is there, none lost
        assert Decimal(rows[line_id]["selected"]["achieved_to_date"]) == achieved + applied[line_id]
    parts = sum(Decimal(row["selected"]["achieved_to_date"] or 0) for row in after["items"])
    assert Decimal(after["totals"]["achieved_to_date"]) == parts
    by_year = httpx.get(f"{api}/savings/totals", params={"by": "year"}).json()
    group = next(g for g in by_year["groups"] if g["key"] == year)
    assert Decimal(group["achieved_to_date"]) == parts

"""The API's changelog (`docs/api-changes.md`) records every change of the merged document: its
latest entry names the hash of the document as it is now."""

import hashlib
import json
import re
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

CHANGELOG = Path(__file__).parents[2] / "docs" / "api-changes.md"


def document_hash(document: dict[str, Any]) -> str:
    canonical = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def latest_recorded_hash(changelog: str) -> str | None:
    found = re.search(r"^Document: `sha256:([0-9a-f]{64})`", changelog, flags=re.MULTILINE)
    return found.group(1) if found else None


def test_the_latest_changelog_entry_names_the_merged_document_as_it_is(api: TestClient) -> None:
    current = document_hash(api.get("/api/v1/openapi.json").json())
    assert latest_recorded_hash(CHANGELOG.read_text()) == current, (
        "The merged OpenAPI document changed: add an entry at the top of docs/api-changes.md "
        f"saying what changed for integrators, ending with the line Document: `sha256:{current}`"
    )


def test_only_the_first_hash_in_the_changelog_counts() -> None:
    text = "## 2\n\nDocument: `sha256:" + "b" * 64 + "`\n\n## 1\n\nDocument: `sha256:" + "a" * 64
    assert latest_recorded_hash(text + "`\n") == "b" * 64

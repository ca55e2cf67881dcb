# The two commands: `make run` and `make test`. Everything else is for developers.
.DEFAULT_GOAL := help
SHELL := /bin/bash
PYTHON ?= python3
UV_VERSION := 0.13.9
UV := $(shell command -v uv 2>/dev/null || echo .uv/bin/uv)
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: help run test lint types pytest bench bench-all fuzz env chromium pdf-libs pgbouncer

help:
	@echo "make run    start everything (embedded PostgreSQL unless DATABASE_URL is set)"
	@echo "make test   lint, types and the whole test suite against a real PostgreSQL"
	@echo "make bench  national-scale latency, floors and mixed load (BENCH_COUNCILS=10: quick)"
	@echo "make fuzz   a deeper schemathesis run over the whole API"

.uv/bin/uv:
	$(PYTHON) -m venv .uv
	.uv/bin/pip install --quiet "uv==$(UV_VERSION)"

$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen
	touch $@

env: $(VENV)/.synced

# Browser tests drive Debian's Chromium (never a browser download).
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
chromium:
	@command -v chromium >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium >/dev/null; }

# The documents as PDF (WeasyPrint) need Pango, HarfBuzz's subsetter and a font: Debian's.
PDF_LIBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation
pdf-libs:
	@dpkg -s $(PDF_LIBS) >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(PDF_LIBS) >/dev/null; }

# The PgBouncer test runs Debian's pgbouncer in transaction mode in front of the test database.
pgbouncer:
	@command -v pgbouncer >/dev/null 2>&1 || [ -x /usr/sbin/pgbouncer ] || { \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq pgbouncer >/dev/null; }

run: env pdf-libs
	$(PY) -m stack.devserver

test: env chromium pdf-libs pgbouncer lint types pytest

lint: env
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

types: env
	$(VENV)/bin/mypy .

# PYTEST_WORKERS=auto runs the tests on every core (pytest-xdist), each test module on one worker
# so that a module's live system starts once. The default, 0, runs them in this one process: on two
# cores the schemathesis run once failed in one of six parallel runs (an unreliable first call to
# PATCH objectives) and that is not understood yet. PYTEST_ARGS is passed on.
PYTEST_WORKERS ?= 0
pytest: env
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

# National scale by default (BENCH_COUNCILS=10 for a quick run): the per-endpoint table through
# the gateway and straight to each app, the floors (hand-written SQL, a bare proxy hop) and the
# mixed load, written to bench-results/. `make bench-all` adds the KPI benchmark of 200 measures,
# the imports of 2,000 rows a file (BENCH_IMPORT_ROWS=10000: a 10,000-line budget book and 50,000
# actuals) with the hostile files sent to a service, and the reader on each hostile file.
bench: env
	$(PY) -m tests.bench.national

bench-all: bench
	$(PY) -m tests.bench
	$(PY) -m tests.bench.imports
	$(PY) -m tests.bench.hostile

# The suite fuzzes every operation with a few examples; this goes much deeper.
fuzz: env
	FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-300} $(VENV)/bin/pytest tests/fuzz -q

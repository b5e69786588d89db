# lianfang — the project's commands. `make demo` and `make test` work on a fresh Debian machine.
SHELL := /bin/bash
.DEFAULT_GOAL := help
PORT ?= 8000
# uv from PATH, else the module pip installed (python3 -m uv); resolved when a recipe runs.
UV = $$(command -v uv 2>/dev/null || echo python3 -m uv)
RUN := $(UV) run --frozen
export UV_PYTHON_DOWNLOADS := never

.PHONY: help setup system-deps python-deps frontend-deps messages demo serve test test-postgres lint format bench

help:
	@echo "make demo           set up, seed the Anning demo district and serve it on http://127.0.0.1:$(PORT)"
	@echo "make test           set up and run the whole suite on SQLite (browser tests included)"
	@echo "make test-postgres  the whole suite against a throwaway PostgreSQL cluster"
	@echo "make lint           ruff, format check, mypy, import contracts, makemigrations --check"
	@echo "make bench          benchmarks on SQLite and PostgreSQL (BENCH_ROWS=N, BENCH_SECONDS=S)"

setup: system-deps python-deps frontend-deps messages

system-deps:
	@bash scripts/system-deps.sh

python-deps:
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet uv || python3 -m pip install --quiet --user --break-system-packages uv
	@$(UV) sync --frozen --quiet

frontend-deps:
	@if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then npm ci --no-audit --no-fund --silent; fi

messages:
	@$(RUN) python manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0

demo: setup
	@mkdir -p var
	@$(RUN) lianfang collectstatic --noinput -v 0
	@PORT=$(PORT) $(RUN) lianfang demo --port $(PORT)

serve: setup
	@$(RUN) lianfang migrate --noinput
	@PORT=$(PORT) $(RUN) lianfang serve --port $(PORT)

test: setup
	@$(RUN) pytest -p no:cacheprovider -n 2 --dist loadgroup

test-postgres: setup
	@bash scripts/test-postgres.sh

bench: setup
	@bash scripts/bench.sh

lint: python-deps
	@$(RUN) ruff check .
	@$(RUN) ruff format --check .
	@$(RUN) mypy lianfang config tests conftest.py
	@$(RUN) lint-imports
	@$(RUN) python manage.py makemigrations --check --dry-run

format: python-deps
	@$(RUN) ruff format .
	@$(RUN) ruff check --fix .

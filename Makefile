PY ?= .venv/bin/python

.PHONY: install run test test-postgres lint schema settings migrations bench

install:
	python3 -m venv .venv && .venv/bin/pip install -e '.[test]'

run:
	$(PY) server.py

test:
	$(PY) -m pytest

test-postgres:
	TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/issuetracker_test_{} $(PY) -m pytest

lint:
	$(PY) -m ruff check . && $(PY) -m ruff format --check . && $(PY) -m mypy

schema:
	$(PY) -c "from issuetracker.schema import schema_sdl; open('schema.graphql', 'w').write(schema_sdl())"

settings:
	$(PY) -m issuetracker.settings_reference

migrations:
	.venv/bin/tortoise makemigrations

bench:
	$(PY) -m bench

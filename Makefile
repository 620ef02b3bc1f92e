# idea4gov — `make run` serves the demo on http://127.0.0.1:5000; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi
export PYTHAINLP_OFFLINE := 1

.PHONY: run test test-sqlite test-postgres translations lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed-run: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed-run

translations: $(VENV)/.installed-run
	$(BIN)/pybabel compile --use-fuzzy --statistics -d translations 2>&1 | tail -n 1

run: $(VENV)/.installed-run translations
	$(BIN)/flask db upgrade
	$(BIN)/flask seed demo
	$(BIN)/flask run --host 127.0.0.1 --port 5000

# SQLite always; PostgreSQL too when IDEA4GOV_TEST_DATABASE_URL is set (CI sets it and
# refuses to run without it).
test: $(VENV)/.installed-dev translations
	@if [ "$$CI" = "true" ] && [ -z "$$IDEA4GOV_TEST_DATABASE_URL" ]; then \
		echo "CI=true needs IDEA4GOV_TEST_DATABASE_URL (PostgreSQL)"; exit 1; fi
	$(MAKE) --no-print-directory test-sqlite
	@if [ -n "$$IDEA4GOV_TEST_DATABASE_URL" ]; then $(MAKE) --no-print-directory test-postgres; \
		else echo "IDEA4GOV_TEST_DATABASE_URL not set: PostgreSQL run skipped (CI always runs it)"; fi

test-sqlite:
	env -u IDEA4GOV_TEST_DATABASE_URL $(BIN)/pytest

test-postgres:
	$(BIN)/pytest -m "not browser"

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check idea4gov tests bench config.py wsgi.py

clean:
	rm -rf $(VENV) .pytest_cache

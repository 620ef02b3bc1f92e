# idea4gov — `make run` serves the demo on http://127.0.0.1:5000; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi
export PYTHAINLP_OFFLINE := 1

.PHONY: run test test-sqlite test-postgres test-postgres-local translations translations-update lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# The project itself is installed editable (no dependencies of its own), so tools such as
# ../shared/tools/eval_grouping.py can `import idea4gov` from any directory.
$(VENV)/.installed-run: requirements.txt pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@ $(VENV)/.installed-run

# Compile the catalogues (.po -> git-ignored .mo); `make run` and `make test` do it first.
translations: $(VENV)/.installed-run
	$(BIN)/pybabel compile --statistics -d translations

# After adding or changing strings: extract, merge into the English catalogue, then write
# the English for every new msgid until the check passes.
translations-update: $(VENV)/.installed-run
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o translations/messages.pot --no-location --sort-output --ignore-dirs ".* __pycache__ node_modules" .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching
	$(BIN)/python scripts/check_translations.py

run: $(VENV)/.installed-run translations
	$(BIN)/flask db upgrade
	$(BIN)/flask seed demo
	IDEA4GOV_WARM_UP=1 $(BIN)/flask run --host 127.0.0.1 --port 5000

# SQLite always; PostgreSQL too when IDEA4GOV_TEST_DATABASE_URL is set (CI sets it and
# refuses to run without it).
test: $(VENV)/.installed-dev translations
	@if [ "$$CI" = "true" ] && [ -z "$$IDEA4GOV_TEST_DATABASE_URL" ]; then \
		echo "CI=true needs IDEA4GOV_TEST_DATABASE_URL (PostgreSQL)"; exit 1; fi
	$(MAKE) --no-print-directory test-sqlite
	@if [ -n "$$IDEA4GOV_TEST_DATABASE_URL" ]; then $(MAKE) --no-print-directory test-postgres; \
		else echo "IDEA4GOV_TEST_DATABASE_URL not set: PostgreSQL run skipped (CI always runs it)"; fi

# pytest exits 5 when it ran no test at all: a failure here, never a quiet pass.
define run_pytest
	$(1) $(BIN)/pytest $(2); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest ran no test (exit 5): counted as a failure"; exit 1; fi; exit $$rc
endef

test-sqlite: $(VENV)/.installed-dev translations
	@echo "== tests on SQLite (every test, the browser ones included)"
	$(call run_pytest,env -u IDEA4GOV_TEST_DATABASE_URL,)

test-postgres: $(VENV)/.installed-dev translations
	@if [ -z "$$IDEA4GOV_TEST_DATABASE_URL" ]; then \
		echo "test-postgres needs IDEA4GOV_TEST_DATABASE_URL (or run make test-postgres-local)"; exit 1; fi
	@echo "== tests on PostgreSQL (all but the browser ones)"
	$(call run_pytest,,-m "not browser")

# The PostgreSQL run on a throw-away cluster on 127.0.0.1 (Debian's `postgresql` package),
# removed afterwards; see scripts/pg-throwaway.
test-postgres-local: $(VENV)/.installed-dev translations
	@eval "$$(bash scripts/pg-throwaway start)"; trap 'bash scripts/pg-throwaway stop "$$PGDATA"' EXIT; \
		$(MAKE) --no-print-directory test-postgres

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check idea4gov tests bench config.py wsgi.py

clean:
	rm -rf $(VENV) .pytest_cache

# Two commands do all set-up on a fresh Debian machine:
#   make demo   creates .venv, installs, builds a demo registry of synthetic data, serves it
#   make test   installs what the tests need, makes sure PostgreSQL runs, runs the suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml requirements.lock | sha256sum | cut -c1-12)
DEMO_DIR := demo
DEMO_URL := sqlite:///$(DEMO_DIR)/rollcall.db
DEMO_PERSONS ?= 3000
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test install postgres java browser lint bench bench-web lock clean

install: $(STAMP)

# The linkage test on a local Spark needs a Java runtime.
java:
	@command -v java >/dev/null 2>&1 || (apt-get update -q && apt-get install -y -q default-jre-headless)

# The browser tests drive Debian's Chromium (never a downloaded one) and check pages with
# axe-core from npm (an exact version, like the Python lock), kept in build/node
# (git-ignored). Nothing is done when both are there.
AXE := build/node/node_modules/axe-core/axe.min.js
browser:
	@test -x /usr/bin/chromium || (apt-get update -q && apt-get install -y -q chromium)
	@test -f $(AXE) || (command -v npm >/dev/null 2>&1 || (apt-get update -q && apt-get install -y -q npm); \
	  npm install --silent --no-audit --no-fund --prefix build/node axe-core@4.14.1)

$(STAMP): pyproject.toml requirements.lock
	@$(PYTHON) -m venv --help >/dev/null 2>&1 || (apt-get update -q && apt-get install -y -q python3-venv)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -c requirements.lock -e '.[test]'
	@rm -f $(VENV)/.installed-*
	@touch $@

demo: install
	@if [ ! -f $(DEMO_DIR)/rollcall.db ]; then \
	  ROLLCALL_DATABASE_URL=$(DEMO_URL) $(BIN)/rollcall demo --persons $(DEMO_PERSONS) --dir $(DEMO_DIR); \
	else echo "demo registry exists ($(DEMO_DIR)/rollcall.db); 'rm -r $(DEMO_DIR)' to rebuild"; fi
	@echo "Open http://$(HOST):$(PORT)/  and log in as: $$(cat $(DEMO_DIR)/login.txt)"
	ROLLCALL_DATABASE_URL=$(DEMO_URL) $(BIN)/rollcall serve --host $(HOST) --port $(PORT)

postgres:
	@bash .ci/postgres.sh

test: install postgres java browser
	$(BIN)/ruff check src tests bench
	$(BIN)/pytest -m "not slow" -q -n auto --dist loadfile

lint: install
	$(BIN)/ruff check src tests bench

bench: install postgres
	$(BIN)/python bench/import_bench.py --rows 1000000

# The staff pages under load: builds the 1,000,000-person PostgreSQL registry once (about
# half an hour), then 50 simulated staff for 60 s on loopback.
bench-web: install postgres
	$(BIN)/python -m pip install -q -c requirements.lock -e '.[test,bench]'
	$(BIN)/python bench/web_registry.py
	$(BIN)/python bench/web_load.py --workers 2

# Refresh the lock after changing dependencies in pyproject.toml.
lock:
	rm -rf /tmp/rollcall-lock && $(PYTHON) -m venv /tmp/rollcall-lock
	/tmp/rollcall-lock/bin/pip install -q --upgrade pip
	/tmp/rollcall-lock/bin/pip install -q '.[test,bench]'
	/tmp/rollcall-lock/bin/pip freeze --exclude rollcall > requirements.lock

clean:
	rm -rf $(VENV) $(DEMO_DIR) build *.egg-info

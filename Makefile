# Two commands on a fresh machine: `make run` (the product) and `make test` (the tests).
VENV ?= .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask
HOST ?= 127.0.0.1
PORT ?= 8000
export FLASK_APP := servicedesk
# `make run` is a development install: it signs sessions with a key kept in instance/secret_key.
# Production (SERVICEDESK_ENV unset) refuses to start without a strong SECRET_KEY.
export SERVICEDESK_ENV ?= development

.PHONY: install dev translations clips migrate demo run test lint format audit screenshots

# `make run` installs the production requirements only; the test, lint and audit targets add the
# development ones on top.
$(VENV)/.installed: requirements.txt
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

translations: $(VENV)/.installed
	$(VENV)/bin/pybabel compile --use-fuzzy -d servicedesk/translations -f >/dev/null

# The display's voice: recorded with espeak-ng into display/clips/ (see servicedesk/ops/announce.py).
# Without espeak-ng the product still runs: the display then speaks with the browser's voice.
clips: $(VENV)/.installed
	@$(PY) -m servicedesk.ops.announce || echo "clips: skipped; apt-get install espeak-ng for the display's recorded voice"

install: $(VENV)/.installed node_modules/.installed translations clips

dev: install $(VENV)/.dev-installed

migrate: install
	$(FLASK) db upgrade

demo: migrate
	$(FLASK) seed-demo --always-open
	@$(FLASK) voice agencies

run: demo
	@echo ""
	@echo "servicedesk is starting on http://$(HOST):$(PORT)"
	@echo "  Kiosk            http://$(HOST):$(PORT)/kiosk"
	@echo "  Display (TV)     http://$(HOST):$(PORT)/display"
	@echo "  Officer console  http://$(HOST):$(PORT)/officer"
	@echo "  Supervisor floor http://$(HOST):$(PORT)/supervisor"
	@echo "  Administration   http://$(HOST):$(PORT)/admin"
	@echo "  Reports          http://$(HOST):$(PORT)/reports"
	@echo "  API (OpenAPI)    http://$(HOST):$(PORT)/api/v1/openapi.json"
	@echo "  Demo logins      admin, supervisor, siti, budi, agus, dewi; imigrasi (the immigration office)  (password demo12345)"
	@echo "  Notifications    log only until NOTIFY_* are set (docs/notifications.md)"
	@echo ""
	@$(FLASK) notify vapid >/dev/null
	@# The notification worker runs beside the server and stops with it (deploy/systemd/servicedesk-notify.service).
	$(FLASK) notify work & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	BIND=$(HOST):$(PORT) $(VENV)/bin/gunicorn -c gunicorn.conf.py

# Two pytest-xdist workers (one per core of the 2-core CI machine): each has its own PostgreSQL
# database, SQLite file, Socket.IO channel and browser; a browser module's tests stay on one worker.
# `make test PYTEST_WORKERS=0` runs everything in one process.
PYTEST_WORKERS ?= 2
test: dev
	$(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

lint: dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Known vulnerabilities in the pinned requirements (pip-audit, PyPI's advisory data). --strict fails on
# any package it could not check. Where PyPI's per-version JSON API cannot be reached (a mirror without
# it), nothing can be checked: that is said loudly and the target exits 3 ("not run"), never 0.
audit: dev
	@if $(PY) -c "import urllib.request as u; u.urlopen('https://pypi.org/pypi/pip/24.0/json', timeout=10)" 2>/dev/null; then \
		$(VENV)/bin/pip-audit --strict --progress-spinner off -r requirements.txt -r requirements-dev.txt; \
	else \
		echo "audit: NOT RUN: PyPI's per-version vulnerability data (https://pypi.org/pypi/<name>/<version>/json, which pip-audit reads) is unreachable from this machine" >&2; \
		exit 3; \
	fi

format: dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# The screenshots in docs/screenshots are refreshed on purpose, not by every test run: the browser
# tests write theirs to test-results/screenshots (ignored); this runs them and copies what they wrote.
screenshots: dev
	rm -rf test-results/screenshots
	$(PY) -m pytest -q -m browser tests/e2e $(PYTEST_ARGS)
	cp test-results/screenshots/*.png docs/screenshots/

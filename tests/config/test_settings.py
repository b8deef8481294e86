import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args, env_overrides, tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.endswith("_URL")
        and key not in {"DJANGO_SETTINGS_MODULE", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update({"VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "config.settings"})
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_values(tmp_path):
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        tmp_path=tmp_path,
        env_overrides={
            "SECRET_KEY": secrets.token_urlsafe(64),
            "ALLOWED_HOSTS": "support.example.com",
            "SITE_URL": "https://support.example.com",
            "DEBUG": "0",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_flags_the_development_key(tmp_path):
    result = _manage(
        "check", "--deploy", tmp_path=tmp_path, env_overrides={"DEBUG": "0"}
    )
    assert "security.W009" in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DATABASE_URL", "mysql://db.example.com/entraide"),
        ("DATABASE_URL", "postgres://"),
        ("REDIS_URL", "localhost:6379"),
        ("ELASTICSEARCH_URL", "elastic"),
        ("EMAIL_URL", "smtp://"),
        ("DEBUG", "maybe"),
        ("SECURE_HSTS_SECONDS", "one year"),
    ],
)
def test_malformed_variable_stops_start_up_naming_it(tmp_path, variable, value):
    result = _manage("check", tmp_path=tmp_path, env_overrides={variable: value})
    assert result.returncode != 0
    assert f"Configuration error: {variable}=" in result.stderr
    assert "Traceback" not in result.stderr


def test_database_url_selects_postgresql(tmp_path):
    result = _manage(
        "shell",
        "--verbosity",
        "0",
        "-c",
        "from django.db import connection; "
        "print(connection.vendor, connection.settings_dict['NAME'])",
        tmp_path=tmp_path,
        env_overrides={"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/some_db"},
    )
    assert result.stdout.split() == ["postgresql", "some_db"], result.stderr

"""deploy/: gunicorn settings and the Redis requirement."""

import runpy
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUNICORN_CONF = ROOT / "deploy" / "gunicorn.conf.py"


def _conf(monkeypatch, **env):
    for name in ("WEB_CONCURRENCY", "REDIS_URL", "GUNICORN_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(GUNICORN_CONF))


def test_gunicorn_workers_follow_the_cpus_and_recycle_with_jitter(monkeypatch):
    conf = _conf(monkeypatch, REDIS_URL="redis://127.0.0.1:6379/0")
    assert conf["workers_default"](2) == 3
    assert conf["workers_default"](64) == 12
    assert conf["wsgi_app"] == "config.wsgi:application"
    assert conf["max_requests"] > 0 and conf["max_requests_jitter"] > 0
    assert 10 <= conf["timeout"] <= 60
    assert "%(s)s" in conf["access_log_format"]
    assert _conf(monkeypatch, WEB_CONCURRENCY="1")["workers"] == 1


def test_several_workers_without_redis_refuse_to_start(monkeypatch, capsys):
    with pytest.raises(SystemExit):
        _conf(monkeypatch, WEB_CONCURRENCY="4")
    assert "4 gunicorn workers need a shared cache" in capsys.readouterr().err
    # A count given on the command line is checked when gunicorn starts.
    conf = _conf(monkeypatch, WEB_CONCURRENCY="1")
    server = SimpleNamespace(cfg=SimpleNamespace(workers=3))
    with pytest.raises(SystemExit):
        conf["on_starting"](server)
    assert "REDIS_URL is not set" in capsys.readouterr().err
    # One worker needs no shared cache; several are fine with Redis.
    conf["on_starting"](SimpleNamespace(cfg=SimpleNamespace(workers=1)))
    _conf(monkeypatch, REDIS_URL="redis://127.0.0.1:6379/0")["on_starting"](server)


def test_gunicorn_itself_refuses_with_the_message(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "WEB_CONCURRENCY": "2", "HOME": str(tmp_path)}
    proc = subprocess.run(
        [str(ROOT / ".venv/bin/gunicorn"), "-c", str(GUNICORN_CONF)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode != 0
    assert "REDIS_URL is not set" in proc.stderr

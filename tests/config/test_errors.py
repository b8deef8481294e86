"""A 500 reaches a person: ADMINS by mail, or Sentry when SENTRY_DSN is set."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import env_addresses
from outbox.models import OutboundMail

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def failing_site(settings, client):
    settings.ROOT_URLCONF = "tests.config.urls_failing"
    client.raise_request_exception = False
    return client


@pytest.mark.django_db
def test_a_500_is_mailed_to_admins_through_the_outbox(
    failing_site, settings, mailoutbox
):
    settings.ADMINS = [("Ops", "ops@example.org"), ("Lea", "lea@example.org")]
    response = failing_site.get("/broken/?token=secret", HTTP_COOKIE="sessionid=abc")
    assert response.status_code == 500
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert sorted(mail.to) == ["lea@example.org", "ops@example.org"]
    assert mail.subject.startswith("[Entraide] ERROR")
    assert "/broken/" in mail.subject
    assert "RuntimeError at /broken/" in mail.body
    assert "the database schema is older than the code" in mail.body
    assert not mail.alternatives  # no HTML report with local variables
    # Django's reporter redacts the session cookie and secret settings.
    assert "sessionid = '********************'" in mail.body
    # Recorded in the outbox like every other mail (retried if SMTP is down).
    assert OutboundMail.objects.filter(kind="error").count() == 1


def test_no_admins_no_mail_and_the_page_still_answers(
    failing_site, settings, mailoutbox
):
    settings.ADMINS = []
    assert failing_site.get("/broken/").status_code == 500
    assert mailoutbox == []


def test_admins_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("ADMINS", "Ops Team <ops@example.org>, lea@example.org")
    assert env_addresses("ADMINS") == [
        ("Ops Team", "ops@example.org"),
        ("lea@example.org", "lea@example.org"),
    ]
    monkeypatch.setenv("ADMINS", "Ops Team")
    with pytest.raises(ImproperlyConfigured, match="ADMINS"):
        env_addresses("ADMINS")


def _settings_in_a_fresh_process(tmp_path, **env):
    script = (
        "import django, json, logging, sentry_sdk\n"
        "from django.conf import settings\n"
        "django.setup()\n"
        "client = sentry_sdk.get_client()\n"
        "handlers = logging.getLogger('django').handlers\n"
        "print(json.dumps({\n"
        "  'active': client.is_active(),\n"
        "  'pii': client.options.get('send_default_pii'),\n"
        "  'django': 'django' in (client.integrations or {}),\n"
        "  'mail': any(type(h).__name__ == 'AdminErrorMailHandler'"
        " for h in handlers),\n"
        "}))\n"
    )
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.endswith("_URL") and k not in {"SENTRY_DSN", "DJANGO_SETTINGS_MODULE"}
    }
    base.update(VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="config.settings", **env)
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_sentry_dsn_switches_on_sentry_instead_of_mail(tmp_path):
    # A DSN on a closed local port: nothing is captured, nothing is sent.
    state = _settings_in_a_fresh_process(
        tmp_path, SENTRY_DSN="http://public@127.0.0.1:9/1"
    )
    assert state == {"active": True, "pii": False, "django": True, "mail": False}


def test_without_sentry_dsn_errors_go_by_mail(tmp_path):
    state = _settings_in_a_fresh_process(tmp_path)
    assert state == {"active": False, "pii": None, "django": False, "mail": True}

"""Clicks and search logs are batched, and none is lost when a worker stops."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.db import OperationalError, connection

from config import buffered
from search.models import QueryLog
from social_redirect.models import Mention, RedirectLink
from social_redirect.services import links

ROOT = Path(__file__).resolve().parents[2]
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"


@pytest.fixture
def link(db):
    mention = Mention.objects.create(
        source="manual", text="@EntraideTelecom box", external_id="1", lang="fr"
    )
    return links.link_create(
        mention=mention, kind="article", target_path="/fr/kb/", title="KB"
    )


@pytest.fixture
def buffering(settings):
    # Long enough that the background thread never writes during the test.
    settings.BUFFERED_WRITE_SECONDS = 3600


def test_clicks_wait_in_memory_then_the_exit_hook_writes_them(client, link, buffering):
    for _ in range(3):
        response = client.get(f"/r/{link.code}", headers={"user-agent": BROWSER})
        assert response.status_code == 302
    link.refresh_from_db()
    assert link.clicks == 0  # the redirects did not wait for the database
    buffered.flush_all()  # what atexit and gunicorn's worker_exit run
    link.refresh_from_db()
    assert link.clicks == 3
    assert link.mention.status == Mention.Status.REDIRECTED


def test_search_logs_go_through_the_same_writer(client, db, buffering):
    response = client.get("/api/search", {"q": "box wifi"})
    assert response.status_code == 200
    assert not QueryLog.objects.exists()
    buffered.flush_all()
    assert QueryLog.objects.get().query == "box wifi"


def test_a_failed_write_keeps_its_items_for_the_next_flush(db, buffering):
    calls = []

    def flaky(items):
        calls.append(list(items))
        if len(calls) <= 3:
            raise OperationalError("database is locked")
        QueryLog.objects.bulk_create(items)

    writer = buffered.BufferedWriter("test-flaky", flaky)
    try:
        for query in ("a", "b"):
            writer.add(
                QueryLog(query=query, normalized=query, interface="api", result_count=0)
            )
        assert writer.flush(attempts=2) == 0
        assert writer.pending() == 2
        assert writer.flush(attempts=2) == 2
        assert sorted(QueryLog.objects.values_list("query", flat=True)) == ["a", "b"]
    finally:
        buffered._writers.remove(writer)


@pytest.mark.parametrize(
    ("seconds", "stop"),
    [
        # Buffered (SQLite's default): a worker stopping normally writes it.
        ("3600", "exit"),
        # Written at once (PostgreSQL's default): even kill -9 loses nothing.
        ("0", "kill"),
    ],
)
def test_a_click_survives_the_worker_stopping(tmp_path, seconds, stop):
    """A real process: migrate, count one click, then exit or get killed."""
    script = textwrap.dedent(
        """
        import os
        import signal
        import sys
        import django
        from django.core.management import call_command

        django.setup()
        from social_redirect.models import Mention, RedirectLink
        from social_redirect.services import links

        if sys.argv[1] == "click":
            call_command("migrate", verbosity=0)
            mention = Mention.objects.create(
                source="manual", text="box", external_id="1", lang="fr"
            )
            link = links.link_create(
                mention=mention, kind="article", target_path="/fr/kb/"
            )
            links.link_click_record(link.pk)
            if sys.argv[2] == "kill":
                os.kill(os.getpid(), signal.SIGKILL)  # no hook runs
            assert RedirectLink.objects.get().clicks == 0
            sys.exit(0)  # a worker stopping: only the exit hook can save it
        print(RedirectLink.objects.get().clicks)
        """
    )
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.endswith("_URL") and k != "DJANGO_SETTINGS_MODULE"
    }
    env.update(
        VAR_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="config.settings",
        BUFFERED_WRITE_SECONDS=seconds,
        SOCIAL_SEMANTIC_MATCHING="0",
    )

    def run(step):
        result = subprocess.run(
            [sys.executable, "-c", script, step, stop],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == (-9 if step == "click" and stop == "kill" else 0), (
            result.stderr
        )
        return result.stdout.strip()

    run("click")
    assert run("read") == "1"


def test_with_the_database_away_the_redirect_answers_and_the_click_waits(
    client, link, settings, monkeypatch
):
    settings.BUFFERED_WRITE_SECONDS = 0
    real_write = links._clicks._write

    def database_away(items):
        raise OperationalError("the database system is shutting down")

    monkeypatch.setattr(links._clicks, "_write", database_away)
    monkeypatch.setattr(links._clicks, "_start", lambda: None)
    response = client.get(f"/r/{link.code}", headers={"user-agent": BROWSER})
    assert response.status_code == 302
    assert links._clicks.pending() == 1
    monkeypatch.setattr(links._clicks, "_write", real_write)
    assert links._clicks.flush() == 1  # what the retrying thread does
    assert RedirectLink.objects.get(pk=link.pk).clicks == 1


def test_writes_at_once_do_not_wait_for_the_disk_sync_on_postgresql(link, settings):
    if connection.vendor != "postgresql":
        pytest.skip("asynchronous commit is a PostgreSQL setting")
    settings.BUFFERED_WRITE_SECONDS = 0
    seen = []

    def write(items):
        with connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            seen.append(cursor.fetchone()[0])

    writer = buffered.BufferedWriter("test-async", write)
    try:
        writer.add(1)
    finally:
        buffered._writers.remove(writer)
    assert seen == ["off"]


def test_link_rows_are_untouched_by_bots(client, link, buffering):
    client.get(f"/r/{link.code}", headers={"user-agent": "Twitterbot/1.0"})
    buffered.flush_all()
    assert RedirectLink.objects.get(pk=link.pk).clicks == 0

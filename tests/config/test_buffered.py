"""Clicks and search logs are batched, and none is lost when a worker stops."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.db import OperationalError

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


def test_a_click_queued_when_the_process_exits_is_written(tmp_path):
    """A real process: migrate, count one click in the buffer, exit normally."""
    script = textwrap.dedent(
        """
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
        BUFFERED_WRITE_SECONDS="3600",
        SOCIAL_SEMANTIC_MATCHING="0",
    )

    def run(step):
        result = subprocess.run(
            [sys.executable, "-c", script, step],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    run("click")
    assert run("read") == "1"


def test_link_rows_are_untouched_by_bots(client, link, buffering):
    client.get(f"/r/{link.code}", headers={"user-agent": "Twitterbot/1.0"})
    buffered.flush_all()
    assert RedirectLink.objects.get(pk=link.pk).clicks == 0

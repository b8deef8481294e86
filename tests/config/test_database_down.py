"""A PostgreSQL restart: new connections are retried briefly, and a database
that stays unreachable gets a 503 that says so (never a 500), keeping what a
person was sending."""

import psycopg
import pytest
from django.db import OperationalError

from config import views as config_views
from config.postgresql import base as pg
from support.models import Ticket
from tests.support.ticket_helpers import ticket_form_data


class FakeClock:
    def __init__(self):
        self.now = 0.0
        self.slept = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.slept.append(seconds)
        self.now += seconds


def failing(times, error=None):
    calls = []

    def connect():
        calls.append(1)
        if len(calls) <= times:
            raise error or psycopg.OperationalError("connection refused")
        return "connection"

    connect.calls = calls
    return connect


def retry(connect, clock, budget=10):
    return pg.connect_with_retry(
        connect,
        budget=budget,
        errors=(psycopg.OperationalError,),
        sleep=clock.sleep,
        clock=clock,
    )


def test_a_restarting_database_is_waited_for():
    clock = FakeClock()
    connect = failing(3)
    assert retry(connect, clock) == "connection"
    assert len(connect.calls) == 4
    assert clock.slept == [0.1, 0.2, 0.4]


def test_the_wait_has_a_limit():
    clock = FakeClock()
    connect = failing(1000)
    with pytest.raises(psycopg.OperationalError):
        retry(connect, clock, budget=10)
    assert clock.now <= 10
    assert max(clock.slept) == pg.MAX_DELAY


def test_a_wrong_password_is_not_waited_for():
    clock = FakeClock()
    connect = failing(1, psycopg.errors.InvalidPassword("password failed"))
    with pytest.raises(psycopg.errors.InvalidPassword):
        retry(connect, clock)
    assert len(connect.calls) == 1 and clock.slept == []


def test_the_postgresql_backend_retries_a_refused_connection(monkeypatch, settings):
    settings.DATABASE_CONNECT_RETRY_SECONDS = 10
    wrapper = pg.DatabaseWrapper(
        {
            "ENGINE": "config.postgresql",
            "NAME": "entraide",
            "USER": "postgres",
            "PASSWORD": "",
            "HOST": "127.0.0.1",
            "PORT": "5432",
            "OPTIONS": {},
            "CONN_MAX_AGE": 0,
            "CONN_HEALTH_CHECKS": True,
            "AUTOCOMMIT": True,
            "ATOMIC_REQUESTS": False,
            "TIME_ZONE": None,
            "TEST": {},
        }
    )
    connect = failing(2)
    monkeypatch.setattr(psycopg, "connect", lambda **params: connect())
    monkeypatch.setattr(pg.time, "sleep", lambda seconds: None)
    assert wrapper.get_new_connection({"dbname": "entraide"}) == "connection"
    assert len(connect.calls) == 3


def unreachable(*args, **kwargs):
    raise OperationalError("server closed the connection unexpectedly")


def test_a_read_cut_by_a_restart_is_run_again(transactional_db, client, monkeypatch):
    real = config_views.home_sections
    calls = []

    def cut_once(request):
        calls.append(1)
        if len(calls) == 1:
            unreachable()
        return real(request)

    monkeypatch.setattr("config.views.home_sections", cut_once)
    response = client.get("/fr/")
    assert response.status_code == 200 and len(calls) == 2
    assert "Comment pouvons-nous vous aider ?" in response.content.decode()


def test_a_page_without_its_database_is_a_503_that_says_so(db, client, monkeypatch):
    monkeypatch.setattr("config.views.home_sections", unreachable)
    response = client.get("/fr/")
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert "no-store" in response["Cache-Control"]
    assert "Réessayez dans un instant" in response.content.decode()


def test_a_failure_in_a_middleware_is_a_503_too(db, client, member, monkeypatch):
    client.force_login(member)
    monkeypatch.setattr(
        "forum.middleware.ForumPermissionMiddleware.process_request", unreachable
    )
    client.raise_request_exception = False
    response = client.get("/en/forum/")
    assert response.status_code == 503
    assert "Please try again in a moment." in response.content.decode()


def test_a_client_reading_json_gets_json(db, client, monkeypatch):
    monkeypatch.setattr("config.views.home_sections", unreachable)
    response = client.get("/fr/", headers={"Accept": "application/json"})
    assert response.status_code == 503
    assert response.json()["retry_after"] == 10


def test_a_form_sent_while_the_database_is_down_is_given_back(db, client, monkeypatch):
    monkeypatch.setattr("support.services.ticket_create", unreachable)
    response = client.post(
        "/fr/support/new/",
        ticket_form_data(),
        headers={"Sec-Fetch-Site": "same-origin"},
    )
    assert response.status_code == 503
    page = response.content.decode()
    assert "Ce que vous avez envoyé n’a pas été enregistré." in page
    # The text comes back, ready to copy; nothing was half-saved.
    assert "ma facture de mars a été prélevée deux fois sur mon compte" in page
    assert "Facture de mars prélevée deux fois" in page
    assert Ticket.objects.count() == 0


def test_another_site_cannot_make_the_error_page_show_its_text(db, client, monkeypatch):
    monkeypatch.setattr("support.services.ticket_create", unreachable)
    response = client.post(
        "/fr/support/new/",
        ticket_form_data(description="Appelez le 0800 000 000 pour être remboursé."),
        headers={"Sec-Fetch-Site": "cross-site"},
    )
    assert response.status_code == 503
    # What came from elsewhere is not displayed as if the site said it.
    assert "0800 000 000" not in response.content.decode()

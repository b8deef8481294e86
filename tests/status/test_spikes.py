import json
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from accounts import roles
from social_redirect.models import Mention
from status import spikes
from status.models import SpikeAlert
from tests.factories import user_with_role
from tests.social_redirect.test_mentions import webhook_deliver
from tests.status.helpers import demo_components

SECRET = "webhook-secret-for-tests"
pytestmark = pytest.mark.django_db

ANGRY = [
    "@EntraideTelecom plus d'internet depuis ce matin, la box ne marche plus, "
    "c'est inadmissible !!!",
    "@EntraideTelecom toujours rien pour ma box, service client injoignable 😡",
    "@EntraideTelecom box en panne, internet coupé, ras le bol !!!",
    "@EntraideTelecom ma connexion internet ne marche plus, c'est nul !!!",
    "@EntraideTelecom encore la box en panne, ras le bol",
    "@EntraideTelecom internet coupé depuis ce matin, inadmissible 😡",
    "@EntraideTelecom la box clignote rouge, plus rien, honteux !!!",
    "@EntraideTelecom pas d'internet, personne ne répond, c'est scandaleux !!!",
]


@pytest.fixture(autouse=True)
def _webhook(settings):
    settings.MENTIONS_WEBHOOK_SECRET = SECRET
    settings.SOCIAL_SEMANTIC_MATCHING = False


def _post(client, records):
    return webhook_deliver(client, records, SECRET)


def _burst(texts, start_id=1000, minutes_ago=8):
    now = timezone.now()
    return [
        {
            "id": str(start_id + i),
            "text": text,
            "author": f"@client{i}",
            "created_at": (now - timedelta(minutes=minutes_ago - i)).isoformat(),
        }
        for i, text in enumerate(texts)
    ]


def test_burst_through_the_webhook_prints_one_spike_and_mails_staff(client, capsys):
    demo_components()
    user_with_role(roles.STAFF, email="astreinte@example.org")
    _post(client, _burst(ANGRY))
    assert Mention.objects.filter(unhappiness__gte=0.35).count() >= 6

    call_command("social_spikes")
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(lines) == 1
    [spike] = lines
    assert {"topic", "count", "expected", "window", "mention_ids"} <= set(spike)
    assert spike["count"] >= 6 and spike["expected"] < 1
    assert set(spike["mention_ids"]) <= set(
        Mention.objects.values_list("pk", flat=True)
    )
    alert = SpikeAlert.objects.get()
    assert alert.component.slug == "internet"
    assert spike["incident_url"] == f"/fr/status/incidents/new/?alert={alert.pk}"
    [staff_mail] = mail.outbox
    assert staff_mail.to == ["astreinte@example.org"]
    assert f"/fr/status/incidents/new/?alert={alert.pk}" in staff_mail.body

    # The community manager sees it on the dashboard, one click from an incident.
    client.force_login(user_with_role(roles.COMMUNITY_MANAGERS))
    dashboard = client.get("/fr/social/").content.decode()
    assert f'id="spike-{alert.pk}"' in dashboard
    assert "Internet et box" in dashboard
    assert f'href="/fr/status/incidents/new/?alert={alert.pk}"' in dashboard
    form = client.get(f"/fr/status/incidents/new/?alert={alert.pk}").content.decode()
    assert "Perturbation : Internet et box" in form
    assert "la box" in form  # sample posts prefilled in the first update

    # The next run sees the same burst: no second alert, no second mail.
    call_command("social_spikes")
    again = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["new_alert"] for line in again] == [False]
    assert SpikeAlert.objects.count() == 1 and len(mail.outbox) == 1


def test_quiet_traffic_and_a_happy_campaign_raise_no_spike(client, capsys):
    demo_components()
    happy = [
        f"@EntraideTelecom génial la nouvelle offre fibre, merci, super prix ! {n}"
        for n in range(10)
    ]
    _post(client, _burst(happy, start_id=2000))
    _post(client, _burst(ANGRY[:2], start_id=3000))
    call_command("social_spikes")
    assert capsys.readouterr().out == ""
    assert not SpikeAlert.objects.exists()


def test_usual_level_for_this_hour_of_the_week_raises_the_bar():
    now = timezone.now()
    topics = frozenset({"box"})

    def events(at_list, start_pk):
        return [
            spikes.Event("mention", start_pk + i, at, topics, True)
            for i, at in enumerate(at_list)
        ]

    burst = events([now - timedelta(minutes=m) for m in range(1, 6)], 1)
    quiet = spikes.EventIndex(burst)
    assert [s.topic for s in spikes.detect(quiet, now)] == ["box"]
    # Five posts every Monday evening for the past weeks: five now is normal.
    usual = [
        now - week * spikes.WEEK + timedelta(minutes=shift - m)
        for week in range(1, 5)
        for shift in (-60, 0, 60)
        for m in range(1, 6)
    ]
    busy = spikes.EventIndex(burst + events(usual, 100))
    assert spikes.detect(busy, now, history_start=now - 5 * spikes.WEEK) == []


def test_poisson_tail():
    assert spikes.poisson_tail(0, 2.0) == 1.0
    assert spikes.poisson_tail(1, 2.0) == pytest.approx(1 - 2.718281828**-2)
    assert spikes.poisson_tail(10, 0.1) < 1e-15

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.html import escape

from accounts import roles
from social_redirect.models import Mention
from social_redirect.services.mentions import mention_reply
from status.models import IncidentMention
from status.services import incident_reply_draft
from tests.factories import user_with_role
from tests.social_redirect.test_mentions import webhook_deliver
from tests.status.helpers import open_incident

SECRET = "webhook-secret-for-tests"
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.MENTIONS_WEBHOOK_SECRET = SECRET
    settings.SOCIAL_SEMANTIC_MATCHING = False
    # Clicks are written in the request (see tests/social_redirect/test_links.py).
    settings.SOCIAL_CLICKS_ASYNC = False


def _post(client, texts):
    now = timezone.now()
    records = [
        {
            "id": str(5000 + i),
            "text": text,
            "author": f"@client{i}",
            "created_at": (now - timedelta(minutes=2)).isoformat(),
        }
        for i, text in enumerate(texts)
    ]
    webhook_deliver(client, records, SECRET)
    return list(Mention.objects.order_by("external_id"))


def test_mentions_of_an_open_incident_target_its_page_and_are_acknowledged_at_once(
    client,
):
    incident = open_incident(title_fr="Panne internet à Lyon")
    page = f"/fr/status/incidents/{incident.pk}/"
    box, cut, mobile = _post(
        client,
        [
            "@EntraideTelecom plus d'internet, la box clignote, inadmissible !!!",
            "@EntraideTelecom internet coupé depuis une heure, ras le bol",
            "@EntraideTelecom je veux changer mon forfait mobile",
        ],
    )
    for mention in (box, cut):
        assert mention.target_kind == "incident"
        assert mention.target_url == page
        assert mention.target_title == "Panne internet à Lyon"
        assert mention.links.get().target_path == page
    assert mobile.target_kind != "incident"  # about mobile, not this incident
    assert not mobile.links.filter(target_path=page).exists()

    client.force_login(user_with_role(roles.COMMUNITY_MANAGERS))
    dashboard = client.get("/fr/social/").content.decode()
    group = dashboard[dashboard.index(f'id="incident-group-{incident.pk}"') :]
    assert "2 nouvelles mentions correspondent à cet incident." in group
    # Each card's reply draft is the incident reply, with the mention's own link.
    for mention in (box, cut):
        link = mention.links.get()
        draft = incident_reply_draft(incident=incident, mention=mention, link=link)
        assert "nous sommes au courant" in draft and "prochain point vers" in draft
        assert f"/r/{link.code}" in draft
        assert escape(draft) in dashboard
    assert escape(mention_reply(box, variant="automatic")).startswith(
        "[Réponse automatique]"
    )

    response = client.post(f"{page}acknowledge/", follow=True)
    html = response.content.decode()
    assert "2 mentions prises en compte" in html
    rows = list(IncidentMention.objects.filter(incident=incident))
    assert {row.mention for row in rows} == {box, cut}
    # Each keeps the one link it got at triage: its own, counted as usual.
    assert {row.link for row in rows} == {box.links.get(), cut.links.get()}
    for row in rows:
        assert f"/r/{row.link.code}" in html
        row.mention.refresh_from_db()
        assert row.mention.status == Mention.Status.ACKNOWLEDGED
        redirect = client.get(
            f"/r/{row.link.code}", headers={"user-agent": "Mozilla/5.0 (iPhone)"}
        )
        assert redirect.status_code == 302
        assert redirect["Location"].startswith(page)
        assert client.get(redirect["Location"]).status_code == 200
        row.link.refresh_from_db()
        assert row.link.clicks == 1
    assert "prochain point vers" in html


def test_personal_matters_and_posts_needing_no_answer_keep_their_target(client):
    open_incident()
    thanks, personal = _post(
        client,
        [
            "@EntraideTelecom merci, internet et la box remarchent, super équipe !",
            "@EntraideTelecom ma box internet est en panne et on me facture deux "
            "fois, mon numéro client est le 123456",
        ],
    )
    assert thanks.target_kind == "none" and not thanks.links.exists()
    assert personal.target_kind == "ticket"
    assert personal.links.get().kind == "ticket"


def test_a_burst_during_an_incident_points_every_mention_about_it_to_its_page(
    client,
):
    incident = open_incident(title_fr="Panne internet à Lyon")
    page = f"/fr/status/incidents/{incident.pk}/"
    # More mentions than one write chunk of the webhook delivery.
    texts = [
        f"@EntraideTelecom plus d'internet depuis {n} minutes, la box clignote !!!"
        for n in range(150)
    ] + ["@EntraideTelecom je veux changer mon forfait mobile"] * 10
    mentions = _post(client, texts)
    assert len(mentions) == 160
    about = [m for m in mentions if "internet" in m.text]
    for mention in about:
        assert (mention.target_kind, mention.target_url) == ("incident", page)
        assert mention.links.get().target_path == page
    for mention in mentions:
        if mention not in about:
            assert mention.target_kind != "incident"
            assert not mention.links.filter(target_path=page).exists()

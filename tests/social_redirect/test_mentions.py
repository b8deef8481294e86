import base64
import hashlib
import hmac
import json
import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from search.services import document_upsert
from social_redirect.demo import load_demo_social
from social_redirect.models import Mention
from social_redirect.selectors import acknowledged_share, mention_queue
from social_redirect.services import mentions as mentions_service
from social_redirect.services.mentions import mention_create
from social_redirect.triage.decision import triage_text
from social_redirect.views import crc_response_token
from tests.factories import UserFactory, user_with_role

SECRET = "webhook-secret-for-tests"
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _lexical_matching(settings):
    # These tests check the lexical path and the plumbing; test_matching.py
    # checks the fused one on the demo knowledge base.
    settings.SOCIAL_SEMANTIC_MATCHING = False


def sign(body, secret=SECRET, timestamp=None):
    """``X-Entraide-Signature``: HMAC of ``"<timestamp>.<body>"``."""
    signed = str(timestamp or int(time.time())).encode() + b"." + body
    return "sha256=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def signed_headers(body, secret=SECRET, timestamp=None):
    timestamp = timestamp or int(time.time())
    return {
        "x-entraide-timestamp": str(timestamp),
        "x-entraide-signature": sign(body, secret, timestamp),
    }


def webhook_deliver(client, records, secret=SECRET):
    """POST ``records`` to the webhook, signed; it must accept them."""
    body = json.dumps({"mentions": records}).encode()
    response = client.post(
        "/api/mentions/",
        body,
        content_type="application/json",
        headers=signed_headers(body, secret=secret),
    )
    assert response.status_code == 202, response.content
    return response


def index_article(**overrides):

    doc = {
        "kind": "article",
        "id": "article:9001",
        "lang": "fr",
        "title": "Ma box internet ne se connecte plus",
        "summary": "Redémarrer la box et vérifier les voyants quand la connexion "
        "internet est coupée.",
        "symptoms": "plus de connexion internet\nvoyant rouge sur la box",
        "body": "Débranchez la box trente secondes, rebranchez-la, attendez que "
        "le voyant internet passe au vert.",
        "tags": ["box", "connexion"],
        "category": "Internet",
        "url": "/fr/kb/internet/box-ne-se-connecte-plus/",
        "source": None,
    }
    doc.update(overrides)
    document_upsert(doc)
    return doc


# --- X Account Activity ------------------------------------------------------


def test_crc_answer_for_known_token_and_secret(client, settings):
    settings.X_CONSUMER_SECRET = "consumer-secret"
    expected = (
        "sha256="
        + base64.b64encode(
            hmac.new(b"consumer-secret", b"challenge-123", hashlib.sha256).digest()
        ).decode()
    )
    response = client.get("/api/x/activity/", {"crc_token": "challenge-123"})
    assert response.status_code == 200
    assert response.json() == {"response_token": expected}
    assert crc_response_token("consumer-secret", "challenge-123") == expected


def test_x_delivery_with_bad_signature_is_refused(client, settings):
    settings.X_CONSUMER_SECRET = "consumer-secret"
    body = json.dumps(
        {
            "for_user_id": "1",
            "tweet_create_events": [
                {
                    "id_str": "555",
                    "text": "@EntraideTelecom panne",
                    "user": {"id_str": "2"},
                }
            ],
        }
    ).encode()
    response = client.post(
        "/api/x/activity/",
        body,
        content_type="application/json",
        headers={"x-twitter-webhooks-signature": "sha256=AAAA"},
    )
    assert response.status_code == 403
    assert not Mention.objects.exists()
    good = (
        "sha256="
        + base64.b64encode(
            hmac.new(b"consumer-secret", body, hashlib.sha256).digest()
        ).decode()
    )
    response = client.post(
        "/api/x/activity/",
        body,
        content_type="application/json",
        headers={"x-twitter-webhooks-signature": good},
    )
    assert response.status_code == 202
    assert Mention.objects.get().source == Mention.Source.X_API


# --- Signed webhook ----------------------------------------------------------


def test_webhook_bad_signature_403_and_nothing_stored(client, settings):
    settings.MENTIONS_WEBHOOK_SECRET = SECRET
    body = json.dumps({"id": "42", "text": "Toujours pas de réseau !!!"}).encode()
    now = str(int(time.time()))
    for header in ("", "sha256=deadbeef", sign(body, "wrong-secret", now)):
        response = client.post(
            "/api/mentions/",
            body,
            content_type="application/json",
            headers={"x-entraide-signature": header, "x-entraide-timestamp": now},
        )
        assert response.status_code == 403
    assert not Mention.objects.exists()


def test_webhook_signed_body_is_stored_once(client, settings):
    settings.MENTIONS_WEBHOOK_SECRET = SECRET
    body = json.dumps(
        {
            "id": "42",
            "text": "Toujours pas de réseau depuis 3 jours !!!",
            "author": "@marie",
            "url": "https://x.com/marie/status/42",
        }
    ).encode()
    headers = signed_headers(body)
    first = client.post(
        "/api/mentions/", body, content_type="application/json", headers=headers
    )
    again = client.post(
        "/api/mentions/", body, content_type="application/json", headers=headers
    )
    assert first.status_code == again.status_code == 202
    assert first.json()["created"] == 1 and again.json()["duplicates"] == 1
    mention = Mention.objects.get()
    assert (mention.author_handle, mention.lang) == ("marie", "fr")
    assert mention.unhappiness >= 0.35


def test_one_failing_record_costs_the_delivery_nothing(
    client, settings, monkeypatch, caplog
):
    settings.MENTIONS_WEBHOOK_SECRET = SECRET

    def triage_or_fail(text, *args, **kwargs):
        if "boom" in text:
            raise RuntimeError("a bug in triage")
        return triage_text(text, *args, **kwargs)

    monkeypatch.setattr(mentions_service, "triage_text", triage_or_fail)
    records = [
        {"id": "1", "text": "@EntraideTelecom plus de réseau", "author": "@a"},
        {"id": "2", "text": "@EntraideTelecom boom", "author": "@b"},
        {"id": "3", "author": "@c"},
        {"id": "4", "text": "@EntraideTelecom box éteinte", "author": "@d"},
    ]
    response = webhook_deliver(client, records)
    report = response.json()
    assert report["created"] == 2
    errors = {error["index"]: error["error"] for error in report["errors"]}
    # A bug: a generic message to the sender, the trace in our logs.
    assert errors[1] == "could not be stored"
    assert "webhook record 1 could not be triaged" in caplog.text
    # A record we refuse: the sender is told why.
    assert errors[2] != "could not be stored" and errors[2]
    assert sorted(Mention.objects.values_list("external_id", flat=True)) == ["1", "4"]


def test_webhook_invalid_json_is_a_clear_400(client, settings):
    settings.MENTIONS_WEBHOOK_SECRET = SECRET
    body = b"{not json"
    response = client.post(
        "/api/mentions/",
        body,
        content_type="application/json",
        headers=signed_headers(body),
    )
    assert response.status_code == 400
    assert "JSON" in response.json()["error"]


# --- Import --------------------------------------------------------------------


def test_import_csv_with_a_broken_row(tmp_path, capsys):

    path = tmp_path / "twcs.csv"
    path.write_text(
        "tweet_id,author_id,inbound,created_at,text\n"
        "1001,client_a,True,Tue Oct 31 22:10:47 +0000 2017,"
        "@EntraideTelecom ma box ne marche plus\n"
        "1002,client_b,True,not a date,@EntraideTelecom aidez-moi\n"
        "1003,EntraideTelecom,False,Tue Oct 31 22:11:47 +0000 2017,Bonjour, "
        "pouvez-vous nous écrire ?\n"
        "1004,client_c,True,Tue Oct 31 22:12:47 +0000 2017,\n"
        '1005,client_d,True,Tue Oct 31 22:13:47 +0000 2017,"My router keeps '
        'rebooting, still not fixed"\n',
        encoding="utf-8",
    )
    call_command("mentions_import", str(path))
    out, err = capsys.readouterr()
    assert set(Mention.objects.values_list("external_id", flat=True)) == {
        "1001",
        "1005",
    }
    assert "row 3" in err and "date" in err  # the broken row is named
    assert "2 imported" in out and "3 skipped" in out
    call_command("mentions_import", str(path))
    out, _err = capsys.readouterr()
    assert Mention.objects.count() == 2
    assert "0 imported, 2 already present" in out


def test_import_x_archive_json(tmp_path):

    path = tmp_path / "tweets.js"
    path.write_text(
        "window.YTD.tweets.part0 = "
        + json.dumps(
            [
                {
                    "tweet": {
                        "id_str": "777",
                        "full_text": "@EntraideTelecom facture incompréhensible",
                        "created_at": "Tue Oct 31 22:10:47 +0000 2017",
                        "lang": "fr",
                    }
                }
            ]
        ),
        encoding="utf-8",
    )
    path = path.rename(tmp_path / "tweets.json")
    call_command("mentions_import", str(path))
    mention = Mention.objects.get()
    assert mention.external_id == "777"
    assert mention.target_kind == "ticket"  # an invoice is personal


def test_duplicate_mention_ignored():
    first, created = mention_create(
        source="manual", text="Panne !", url="https://x.com/bob/status/123"
    )
    again, created_again = mention_create(
        source="webhook", text="Panne ! (edited)", external_id="123"
    )
    assert created and not created_again
    assert again.pk == first.pk and Mention.objects.count() == 1
    assert first.author_handle == "bob"


def test_private_signal_gets_the_ticket_form_even_with_a_matching_article():
    index_article()
    mention, _ = mention_create(
        source="manual",
        text="Ma box ne se connecte plus ET j'ai été débité deux fois, remboursez-moi",
    )
    assert mention.target_kind == "ticket"
    assert "money" in mention.private_signals
    link = mention.links.get()
    assert link.kind == "ticket" and "/fr/support/new/" in link.target_path


def test_matching_article_is_suggested_for_an_angry_french_post():
    doc = index_article()
    index_article(
        id="article:9002",
        title="Changer le mot de passe de sa messagerie",
        summary="Modifier le mot de passe de votre adresse mail.",
        symptoms="mot de passe oublié",
        body="Ouvrez votre espace client, rubrique messagerie.",
        url="/fr/kb/mail/mot-de-passe/",
    )
    mention, _ = mention_create(
        source="manual",
        text="@EntraideTelecom toujours pas de connexion internet, voyant rouge sur "
        "la box depuis 3 jours #fail",
        author_handle="claire",
    )
    assert mention.lang == "fr"
    assert mention.target_kind == "article"
    assert mention.target_url == doc["url"]
    assert mention.candidates[0]["url"] == doc["url"]
    assert mention.links.get().target_path == doc["url"]


# --- Dashboard ------------------------------------------------------------------


def test_post_to_a_product_handle_gets_that_products_article():

    index_article(
        id="article:9101",
        lang="en",
        title="Console troubleshooting (support.playstation.com)",
        summary="",
        symptoms="",
        body="Restart the console and check for a system update.",
        tags=[],
        category="",
        url="/en/kb/general/console/",
    )
    index_article(
        id="article:9102",
        lang="en",
        title="My game keeps freezing on my laptop (support.example.com)",
        summary="",
        symptoms="",
        body="Close other programs while the game runs.",
        tags=[],
        category="",
        url="/en/kb/general/freezing/",
    )
    # Shares more words with the laptop article, but is addressed to the
    # PlayStation account: its articles come first.
    result = triage_text("@AskPlayStation my game keeps freezing", "en")
    assert result.candidates[0].url == "/en/kb/general/console/"
    assert result.target_kind == "article"
    # The product named in the words counts when the handle names no site.
    named = triage_text("@SomeGamesCo my playstation game keeps freezing", "en")
    assert named.candidates[0].url == "/en/kb/general/console/"


def test_handle_naming_the_company_not_the_product_gets_the_products_article():
    # The help centre's host names the product (minecraft), the support
    # handle the company that makes it: the sentence encoder knows they go
    # together, no spelling does.
    for number, (title, url) in enumerate(
        [
            ("Realms cannot connect (help.minecraft.net)", "/en/kb/g/realms/"),
            ("Playback stops (support.spotify.com)", "/en/kb/g/playback/"),
            ("Meeting audio issues (support.zoom.us)", "/en/kb/g/audio/"),
            ("Card payment declined (www.chase.com)", "/en/kb/g/card/"),
        ]
    ):
        index_article(
            id=f"article:92{number:02d}",
            lang="en",
            title=title,
            summary="",
            symptoms="",
            body="Sign in again, then restart the application.",
            tags=[],
            category="",
            url=url,
        )
    result = triage_text("@MojangSupport I cannot sign in, please help", "en")
    assert result.candidates[0].url == "/en/kb/g/realms/"


def test_dashboard_for_community_managers_only(client):
    url = reverse("social_redirect:dashboard")
    assert url == "/fr/social/" or url.endswith("/social/")
    response = client.get(url)
    assert response.status_code == 302 and "login" in response["Location"]
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403
    client.force_login(user_with_role(roles.SUPPORT_AGENTS))
    assert client.get(url).status_code == 403
    client.force_login(user_with_role(roles.COMMUNITY_MANAGERS))
    assert client.get(url).status_code == 200


def test_community_manager_pastes_a_french_tweet_and_marks_it_replied(client):
    index_article()
    cm = user_with_role(roles.COMMUNITY_MANAGERS)
    client.force_login(cm)
    response = client.post(
        "/fr/social/",
        {
            "url": "https://x.com/claire/status/987654321",
            "text": "@EntraideTelecom plus de connexion internet, voyant rouge sur la "
            "box, c'est inadmissible !!!",
            "author_handle": "",
            "followers_count": "1200",
        },
        follow=True,
    )
    assert response.status_code == 200
    mention = Mention.objects.get()
    assert mention.author_handle == "claire" and mention.lang == "fr"
    page = response.content.decode()
    assert f"/r/{mention.links.get().code}" in page
    assert "@claire" in page and "Réponse automatique" in page
    assert 'data-copy="reply-' in page
    client.post(f"/fr/social/mentions/{mention.pk}/", {"action": "replied"})
    mention.refresh_from_db()
    assert mention.status == Mention.Status.ACKNOWLEDGED
    assert mention.acted_by == cm and mention.response_seconds is not None


def test_dashboard_paste_rejects_a_non_https_url(client):
    client.force_login(user_with_role(roles.COMMUNITY_MANAGERS))
    response = client.post(
        "/en/social/", {"url": "javascript:alert(1)", "text": "hello"}
    )
    assert response.status_code == 200
    assert not Mention.objects.exists()
    assert response.context["form"].errors


def test_mentions_triage_command_output_format(tmp_path, capsys):

    doc = index_article(source="internet/box")
    source = tmp_path / "in.jsonl"
    source.write_text(
        json.dumps(
            {
                "id": "a1",
                "text": "@EntraideTelecom voyant rouge sur la box, plus de connexion "
                "internet !!!",
                "author": "lea",
            }
        )
        + "\n{broken\n"
        + json.dumps({"id": "a2", "text": "I was charged twice, refund please"})
        + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    call_command("mentions_triage", "--input", str(source), "--output", str(out))
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert [line["id"] for line in lines] == ["a1", "a2"]
    assert "line 2" in capsys.readouterr().err
    first, second = lines
    assert set(first) == {
        "id",
        "lang",
        "unhappy",
        "unhappiness",
        "target",
        "reasons",
        "level",
        "semantic",
        "features",
        "candidates",
        "link",
        "reply",
    }
    assert first["lang"] == "fr" and first["unhappy"] is True
    assert first["target"] == {
        "kind": "article",
        "source": "internet/box",
        "url": doc["url"],
        "title": doc["title"],
        "confidence": first["target"]["confidence"],
        "level": first["level"],
    }
    assert first["level"] in ("sure", "check", "choose")
    assert first["candidates"][0]["source"] == "internet/box"
    assert set(first["candidates"][0]) == {"kind", "source", "url", "title", "score"}
    assert "/r/" in first["link"] and first["link"] in first["reply"]
    assert second["target"]["kind"] == "ticket" and second["reasons"] == ["money"]
    assert second["target"]["url"].startswith("/en/support/new/?context=")
    assert Mention.objects.count() == 2


def test_queue_by_urgency_and_share_acknowledged_within_the_hour():

    now = timezone.now()
    calm_new = Mention.objects.create(
        source="manual", text="question", unhappiness=0.1, posted_at=now
    )
    angry_old = Mention.objects.create(
        source="manual",
        text="furieux",
        unhappiness=0.9,
        followers_count=10_000,
        posted_at=now - timedelta(minutes=50),
    )
    answered = Mention.objects.create(
        source="manual",
        text="ok",
        posted_at=now - timedelta(minutes=90),
        acted_at=now - timedelta(minutes=60),
        response_seconds=30 * 60,
        status=Mention.Status.ACKNOWLEDGED,
    )
    Mention.objects.create(
        source="manual", text="late", posted_at=now - timedelta(minutes=120)
    )
    queue = mention_queue(now=now)
    # Unhappy, widely followed and close to the hour beats calm and fresh.
    assert queue[0].pk == angry_old.pk and queue[-1].pk == calm_new.pk
    assert answered.pk not in [m.pk for m in queue]
    share, in_time, total = acknowledged_share(now - timedelta(hours=3), now=now)
    # The answered one counts; the 2-hour-old unanswered one is late; the two
    # younger than an hour are not judged yet.
    assert (in_time, total) == (1, 2) and share == 0.5


def test_demo_mentions_are_idempotent():

    assert load_demo_social() == 5
    assert load_demo_social() == 0
    assert set(Mention.objects.values_list("lang", flat=True)) == {"fr", "en"}
    refund = Mention.objects.get(external_id="demo-2")
    assert refund.target_kind == "ticket"

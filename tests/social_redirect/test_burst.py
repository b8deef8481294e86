"""A burst delivered through the webhook: every mention is stored with its
triage and its short link, written a chunk at a time; a record the database
refuses costs no other."""

from urllib.parse import parse_qs, urlsplit

import pytest

from social_redirect.models import Mention, RedirectLink
from social_redirect.services import mentions as mention_services
from social_redirect.triage.decision import triage_text
from support.tokens import ticket_context_read
from tests.social_redirect.test_mentions import index_article, webhook_deliver

SECRET = "webhook-secret-for-tests"
pytestmark = pytest.mark.django_db

POSTS = [
    "@EntraideTelecom plus de connexion internet, voyant rouge sur la box !!!",
    "@EntraideTelecom j'ai été débité deux fois ce mois-ci, remboursez-moi",
    "@EntraideTelecom merci, tout remarche, super équipe !",
    "@EntraideTelecom my internet box shows a red light, no connection",
]
# More than one write chunk, and not a multiple of it.
BURST = mention_services.WRITE_CHUNK * 2 + 37


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.MENTIONS_WEBHOOK_SECRET = SECRET
    # The lexical triage (the first triage of a burst); the refinement with
    # the embeddings is tested in test_refine.py.
    settings.SOCIAL_SEMANTIC_MATCHING = False
    index_article()
    index_article(
        id="article:9002",
        lang="en",
        title="My internet box does not connect",
        summary="Restart the box when the red light shows.",
        symptoms="no connection\nred light on the box",
        body="Unplug the box for thirty seconds and plug it back in.",
        url="/en/kb/internet/box-does-not-connect/",
    )


def deliver(client, records):
    return webhook_deliver(client, records, SECRET).json()


def burst_records(count, first=0):
    return [
        {"id": str(first + n), "text": POSTS[n % len(POSTS)], "author": f"@c{n}"}
        for n in range(count)
    ]


def assert_triaged_with_link(mention):
    expected = triage_text(mention.text)
    assert mention.triaged_at is not None
    assert mention.target_kind == expected.target_kind
    assert mention.confidence == expected.confidence
    assert mention.private_signals == expected.signals
    assert [c["url"] for c in mention.candidates] == [
        c.url for c in expected.candidates
    ]
    links = list(mention.links.all())
    if expected.target_kind == "none":
        assert links == []
        return
    [link] = links
    assert link.kind == mention.target_kind
    if link.kind == RedirectLink.Kind.TICKET:
        # The ticket form carries this mention, and this link, as context.
        token = parse_qs(urlsplit(link.target_path).query)["context"][0]
        context = ticket_context_read(token)
        assert (context["mention_id"], context["link_code"]) == (mention.pk, link.code)
    else:
        assert link.target_path == mention.target_url
        assert mention.target_url == expected.best.url


def test_a_burst_stores_every_mention_with_its_triage_and_its_link(client):
    report = deliver(client, burst_records(BURST))
    assert report == {"created": BURST, "duplicates": 0, "rejected": 0, "errors": []}
    mentions = list(Mention.objects.prefetch_related("links"))
    assert len(mentions) == BURST
    for mention in mentions:
        assert_triaged_with_link(mention)
    kinds = {m.target_kind for m in mentions}
    assert kinds == {"article", "ticket", "none"}
    codes = RedirectLink.objects.values_list("code", flat=True)
    assert len(set(codes)) == len(codes)


def test_a_post_delivered_twice_is_stored_once(client):
    records = burst_records(30)
    # The same post again in the same delivery, and in the next one.
    records.append(dict(records[3]))
    assert deliver(client, records)["duplicates"] == 1
    again = deliver(client, burst_records(40))
    assert (again["created"], again["duplicates"]) == (10, 30)
    assert Mention.objects.count() == 40
    assert RedirectLink.objects.filter(mention__external_id="3").count() == 1


def test_a_record_the_database_refuses_costs_no_other(client, monkeypatch):
    records = burst_records(BURST)
    # Another delivery stores post 150 while this one is being triaged.
    mention_services.mention_create(source="webhook", external_id="150", text=POSTS[0])
    real_keys = mention_services._stored_keys
    monkeypatch.setattr(
        mention_services,
        "_stored_keys",
        lambda identities: real_keys([i for i in identities if i.external_id != "150"]),
    )
    report = deliver(client, records)
    assert (report["created"], report["duplicates"]) == (BURST - 1, 1)
    assert report["errors"] == []
    assert Mention.objects.count() == BURST
    for mention in Mention.objects.prefetch_related("links"):
        assert_triaged_with_link(mention)


def test_bad_records_are_listed_and_the_others_stored(client):
    records = burst_records(50)
    records[7]["url"] = "ftp://x.com/a/status/1"
    records[20]["created_at"] = "the day before yesterday"
    report = deliver(client, records)
    assert report["created"] == 48
    assert [e["index"] for e in report["errors"]] == [7, 20]
    assert "https://" in report["errors"][0]["error"]
    assert "date" in report["errors"][1]["error"]

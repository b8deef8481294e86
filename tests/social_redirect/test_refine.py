"""A burst of mentions: stored at once with the lexical triage, then refined
with the embeddings by a background task; the dashboard says which are
still being refined."""

import hashlib
import hmac
import io
import json
import time

import pytest

from accounts import roles
from kb.demo import load_demo_articles
from search import embeddings
from social_redirect.models import Mention
from social_redirect.services.mentions import (
    mention_choose_target,
    mention_create,
    mentions_refine,
)
from social_redirect.triage.decision import triage_text
from social_redirect.triage.matching import post_vectors
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db
SECRET = "webhook-secret-for-refine-tests"
TWEETS = [
    "@EntraideFAI ça fait 3 jours que ma box ne synchronise plus, toujours "
    "aucune réponse, #fail",
    "internet hyper lent tous les soirs, c'est insupportable",
    "my internet connection stopped working again",
    "how do I get a refund for last month?",
]


@pytest.fixture(autouse=True)
def _semantic(settings):
    settings.SOCIAL_SEMANTIC_MATCHING = True
    settings.SOCIAL_REFINE_BURST = 3
    settings.MENTIONS_WEBHOOK_SECRET = SECRET
    embeddings.reset()
    if not embeddings.available():
        pytest.skip("embedding model not installed")
    yield
    embeddings.reset()


@pytest.fixture
def demo_kb(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        load_demo_articles(io.StringIO())


def deliver(client, texts, first_id=1):
    body = json.dumps(
        {
            "mentions": [
                {"id": str(first_id + n), "text": text} for n, text in enumerate(texts)
            ]
        }
    ).encode()
    stamp = str(int(time.time()))
    signature = hmac.new(
        SECRET.encode(), stamp.encode() + b"." + body, hashlib.sha256
    ).hexdigest()
    response = client.post(
        "/api/mentions/",
        body,
        content_type="application/json",
        headers={
            "x-entraide-timestamp": stamp,
            "x-entraide-signature": f"sha256={signature}",
        },
    )
    assert response.status_code == 202, response.content
    return response


def dashboard(client):
    client.force_login(user_with_role(roles.COMMUNITY_MANAGERS))
    return client.get("/fr/social/").content.decode()


def test_a_burst_is_stored_lexical_first_then_refined_by_the_task(
    demo_kb, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as enqueued:
        deliver(client, TWEETS)
    mentions = list(Mention.objects.order_by("external_id"))
    assert len(mentions) == len(TWEETS)
    # Every mention has a first triage and a link at once, marked unrefined.
    assert all(m.triaged_at and m.candidates and not m.refined for m in mentions)
    assert all(m.links.exists() for m in mentions)
    page = dashboard(client)
    assert page.count("en cours d'affinage") == len(TWEETS)
    # The enqueued task (immediate backend) refines them all.
    assert enqueued
    for callback in enqueued:
        callback()
    # The same posts embedded in the same batch: the task's own vectors
    # (a batch's padding moves the last digits, enough to swap close ties).
    vectors = post_vectors([(m.text, m.lang) for m in mentions])
    for mention, text, vector in zip(mentions, TWEETS, vectors, strict=True):
        mention.refresh_from_db()
        fused = triage_text(text, semantic=True, vector=vector)
        assert fused.semantic and mention.refined
        assert mention.target_kind == fused.target_kind
        assert mention.target_url == (
            fused.candidates[0].url if fused.target_kind == "article" else ""
        )
        assert mention.confidence == fused.confidence
        assert [c["url"] for c in mention.candidates] == [
            c.url for c in fused.candidates
        ]
        # The short link follows the refined target.
        if mention.target_kind == "article":
            assert mention.links.first().target_path == mention.target_url
    assert Mention.objects.get(external_id="1").target_url == (
        "/fr/kb/connexion/plus-d-internet/"
    )
    assert "en cours d'affinage" not in dashboard(client)


def test_a_small_delivery_gets_its_meaning_at_once_unless_others_wait(
    demo_kb, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as enqueued:
        deliver(client, TWEETS[:1])
    assert not enqueued
    assert Mention.objects.get().refined
    # While a burst waits for its refinement, a newcomer joins the queue.
    with django_capture_on_commit_callbacks() as enqueued:
        deliver(client, TWEETS, first_id=10)
        deliver(client, TWEETS[1:2], first_id=20)
    assert not Mention.objects.get(external_id="20").refined
    for callback in enqueued:
        callback()
    assert not Mention.objects.filter(refined=False).exists()


def test_a_target_the_manager_chose_survives_the_refinement(demo_kb):
    mention, _ = mention_create(source="import", text=TWEETS[1], semantic=False)
    assert not mention.refined
    other = mention.candidates[-1]["url"]
    mention_choose_target(mention=mention, candidate_url=other)
    unhandled, _ = mention_create(source="import", text=TWEETS[0], semantic=False)
    assert mentions_refine() == 1
    mention.refresh_from_db()
    unhandled.refresh_from_db()
    assert mention.target_url == other and mention.confidence == 1.0
    assert unhandled.refined
    assert unhandled.target_url == "/fr/kb/connexion/plus-d-internet/"


def test_without_the_model_a_burst_is_triaged_once_and_never_marked(
    demo_kb, client, settings, tmp_path
):
    broken = tmp_path / "model.onnx"
    broken.write_bytes(b"not a model")
    settings.SEARCH_EMBEDDING_MODEL_PATH = str(broken)
    embeddings.reset()
    deliver(client, TWEETS)
    assert Mention.objects.count() == len(TWEETS)
    assert not Mention.objects.filter(refined=False).exists()
    assert "en cours d'affinage" not in dashboard(client)

"""Matching on the demo knowledge base: meaning in French and English, the
private channel, posts that need no answer, and the fallback to words."""

import io
import logging

import numpy as np
import pytest
from django.urls import reverse
from django.utils import translation

from accounts import roles
from kb.demo import load_demo_articles
from search import embeddings
from search.models import DocumentVector, SearchDocument
from social_redirect.models import Mention
from social_redirect.services.mentions import mention_create, mention_reply
from social_redirect.triage.decision import triage_text
from social_redirect.triage.matching import _meaning
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_model(settings):
    settings.SOCIAL_SEMANTIC_MATCHING = True
    embeddings.reset()
    yield
    embeddings.reset()


@pytest.fixture
def demo_kb(django_capture_on_commit_callbacks):
    # Publishing indexes each article (and embeds it) after the commit.
    with django_capture_on_commit_callbacks(execute=True):
        load_demo_articles(io.StringIO())
    assert DocumentVector.objects.count() == SearchDocument.objects.count() >= 20


def first_url(text, lang=None):
    result = triage_text(text, lang)
    return result, result.candidates[0].url


def test_the_briefs_tweets_find_their_demo_articles(demo_kb):
    result, url = first_url(
        "@EntraideFAI ça fait 3 jours que ma box ne synchronise plus, toujours "
        "aucune réponse, #fail"
    )
    assert result.semantic and result.lang == "fr"
    assert url == "/fr/kb/connexion/plus-d-internet/"
    assert result.target_kind == "article" and result.signals == []
    result, url = first_url("internet hyper lent tous les soirs")
    assert url == "/fr/kb/connexion/connexion-lente/"
    result = triage_text("my internet connection stopped working")
    urls = [c.url for c in result.candidates[:3]]
    assert "/en/kb/connection/no-internet/" in urls
    assert "/en/kb/billing/get-a-refund/" not in urls


def test_a_thank_you_gets_no_article(demo_kb):
    mention, _ = mention_create(
        source="manual",
        text="@EntraideTelecom merci, la fibre est enfin installée et tout marche "
        "bien !",
    )
    assert mention.target_kind == "none" and mention.target_url == ""
    assert not mention.links.exists()
    draft = mention_reply(mention)
    assert "Merci" in draft and "désolés" not in draft and "/r/" not in draft


@pytest.mark.parametrize(
    "text, reason",
    [
        ("Vous m'avez débité deux fois ce mois-ci, remboursez-moi", "money"),
        ("You charged me twice this month, I want a refund", "money"),
        ("Supprimez mes données svp, je ne suis plus client", "personal_data"),
        ("Please delete my personal data, I closed my account", "personal_data"),
    ],
)
def test_personal_matters_go_to_the_ticket_form(demo_kb, text, reason):
    result = triage_text(text)
    assert result.target_kind == "ticket"
    assert reason in result.signals


@pytest.mark.parametrize(
    "text, url",
    [
        (
            "Comment changer de moyen de paiement ?",
            "/fr/kb/facturation/changer-moyen-de-paiement/",
        ),
        ("How do I change my payment method?", "/en/kb/billing/change-payment-method/"),
        ("Comment lire ma facture ?", "/fr/kb/facturation/comprendre-ma-facture/"),
    ],
)
def test_a_billing_how_to_goes_to_its_article(demo_kb, text, url):
    result = triage_text(text)
    assert result.target_kind == "article" and result.signals == []
    assert result.candidates[0].url == url


def _use_file_broken(settings, monkeypatch, tmp_path):
    broken = tmp_path / "model.onnx"
    broken.write_bytes(b"not a model")
    settings.SEARCH_EMBEDDING_MODEL_PATH = str(broken)
    return "matching is lexical only"


def _processor_without_avx2(settings, monkeypatch, tmp_path):
    # e5's engine needs AVX2: on an older processor it must not be loaded
    # (it would kill the process); the log says why.
    monkeypatch.setattr(embeddings, "_cpu_has_avx2", lambda: False)
    return "AVX2"


@pytest.mark.parametrize("break_a_model", [_use_file_broken, _processor_without_avx2])
def test_a_model_that_cannot_load_degrades_to_words_with_a_note(
    demo_kb, settings, monkeypatch, tmp_path, client, caplog, break_a_model
):
    logged = break_a_model(settings, monkeypatch, tmp_path)
    embeddings.reset()
    with caplog.at_level(logging.WARNING, logger="search.embeddings"):
        result, url = first_url("internet hyper lent tous les soirs")
    assert not result.semantic
    assert url == "/fr/kb/connexion/connexion-lente/"
    assert logged in caplog.text
    client.force_login(user_with_role(roles.COMMUNITY_MANAGERS))
    page = client.get("/fr/social/").content.decode()
    assert "Le modèle de sens n’a pas pu être chargé" in page
    settings.SEARCH_EMBEDDING_MODEL_PATH = ""
    monkeypatch.undo()
    embeddings.reset()
    page = client.get("/fr/social/").content.decode()
    assert "Le modèle de sens" not in page


def test_french_dashboard_shows_levels_urgency_and_reasons_in_french(demo_kb, client):
    mention_create(
        source="manual",
        text="@EntraideTelecom vous m'avez prélevé deux fois 30 € ce mois-ci, "
        "remboursez-moi !!! 😡",
        followers_count=5000,
    )
    mention_create(source="manual", text="internet hyper lent tous les soirs")
    client.force_login(user_with_role(roles.COMMUNITY_MANAGERS))
    with translation.override("fr"):
        url = reverse("social_redirect:dashboard")
    page = client.get(url).content.decode()
    assert "motif : argent prélevé ou dû" in page
    assert any(word in page for word in ("sûr", "à vérifier", "à choisir"))
    assert "à traiter en premier" in page or "à traiter bientôt" in page
    assert "Connexion lente" in page


def test_below_the_low_level_the_manager_chooses_and_no_article_is_drafted(
    demo_kb, client
):
    mention, _ = mention_create(source="manual", text="internet hyper lent le soir")
    # A match this unsure would be "à choisir".
    Mention.objects.filter(pk=mention.pk).update(confidence=0.1)
    client.force_login(user_with_role(roles.COMMUNITY_MANAGERS))
    page = client.get("/fr/social/").content.decode()
    assert "Quelle réponse convient ?" in page
    assert f'id="reply-{mention.pk}"' not in page
    choice = mention.candidates[1]["url"]
    client.post(
        f"/fr/social/mentions/{mention.pk}/", {"action": "target", "target": choice}
    )
    mention.refresh_from_db()
    assert mention.target_url == choice
    page = client.get("/fr/social/").content.decode()
    assert (
        f'id="reply-{mention.pk}"' in page and "Quelle réponse convient ?" not in page
    )


def test_a_posts_meaning_does_not_depend_on_what_arrived_with_it():
    # A burst embeds posts together: the same tweet must get the same vector
    # (so the same suggestion and confidence) whatever its neighbours were,
    # with both models.
    if not embeddings.available():
        pytest.skip("embedding models not installed")
    post = "@EntraideFAI ma box ne synchronise plus depuis 3 jours"
    alone = embeddings.embed_for_matching([post], role="post")[0]
    with_others = embeddings.embed_for_matching(
        ["merci !", post, "Lorem ipsum " * 100], role="post"
    )[1]
    assert alone.shape == (embeddings.MATCH_DIM,)
    use, e5 = alone[: embeddings.DIM], alone[embeddings.DIM :]
    assert float(use @ with_others[: embeddings.DIM]) == pytest.approx(1.0, abs=1e-6)
    assert float(e5 @ with_others[embeddings.DIM :]) == pytest.approx(1.0, abs=1e-6)


def test_each_model_counts_as_much_in_the_meaning_leg():
    # e5's cosines sit in a narrow band, USE's in a wide one: each model's
    # favourite must weigh the same, or USE alone would choose.
    wide = [0.9, 0.3, 0.2, 0.1, 0.0]
    narrow = [0.80, 0.86, 0.79, 0.78, 0.78]
    fused, mean = _meaning(list("abcde"), np.array([wide, narrow]))
    assert fused["a"] == pytest.approx(fused["b"], abs=0.05)
    assert min(fused["a"], fused["b"]) > max(fused["c"], fused["d"], fused["e"])
    assert mean["a"] == pytest.approx(0.85)

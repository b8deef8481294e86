import pytest

from social_redirect.services.replies import reply_draft, reply_template_save, x_length
from social_redirect.triage import (
    UNHAPPY_THRESHOLD,
    addressed_brand_words,
    clean_for_search,
    detect_language,
    personal_cues,
    unhappiness,
)
from social_redirect.triage.text import text_for_meaning


@pytest.mark.parametrize(
    "text, lang",
    [
        ("Ma box ne marche toujours pas depuis hier, c'est nul", "fr"),
        ("Impossible de me connecter à mon compte, aidez-moi svp", "fr"),
        ("My internet has been down since this morning, any news?", "en"),
        ("I can't log in to my account", "en"),
    ],
)
def test_language_detection(text, lang):
    assert detect_language(text) == lang


@pytest.mark.parametrize(
    "text",
    [
        "Toujours pas de connexion depuis 3 jours, c'est inadmissible !!! #fail",
        "Je ne suis pas content du tout de votre service",
        "@EntraideTelecom panne internet ce matin 😡",
        "Votre SAV est une HONTE, personne ne répond",
    ],
)
def test_french_complaints_are_unhappy(text):
    assert unhappiness(text, "fr") >= UNHAPPY_THRESHOLD


@pytest.mark.parametrize(
    "text",
    [
        "Merci pour la réponse rapide, tout marche maintenant",
        "pas mal le nouveau site",
        "Quelle est l'adresse de la boutique de Lyon ?",
    ],
)
def test_french_calm_posts_are_not_unhappy(text):
    assert unhappiness(text, "fr") < UNHAPPY_THRESHOLD


def test_english_unhappiness_and_rules():
    calm = unhappiness("How do I change my wifi password?", "en")
    angry = unhappiness("My internet is STILL NOT working, this is terrible 😡", "en")
    thanks = unhappiness("Thanks, great help!", "en")
    assert angry >= UNHAPPY_THRESHOLD > calm
    assert thanks < UNHAPPY_THRESHOLD
    # Each rule adds to an otherwise neutral post.
    base = unhappiness("The router lights are orange", "en")
    assert unhappiness("The router lights are orange #fail", "en") > base
    assert unhappiness("The router lights are orange for 3 days", "en") > base
    assert unhappiness("The router lights are orange!!!", "en") > base


def test_negation_flips_french_praise():
    assert unhappiness("content", "fr") < unhappiness("pas content", "fr")


@pytest.mark.parametrize(
    "text, signal",
    [
        ("I want a refund now", "money"),
        ("J'ai été débité deux fois ce mois-ci", "money"),
        ("You charged me twice for March", "money"),
        ("Mon compte a été piraté !", "account"),
        ("My account was hacked", "account"),
        ("Mon compte est suspendu depuis ce matin", "account"),
        ("Commande n° AB12345 jamais reçue", "identifier"),
        ("client 12345678 toujours sans ligne", "identifier"),
        ("Supprimez mes données personnelles svp", "personal_data"),
        ("Please delete all my data (GDPR)", "personal_data"),
        ("Mon ticket est toujours sans réponse", "unanswered"),
    ],
)
def test_personal_cues(text, signal):
    assert signal in personal_cues(text)


def test_no_personal_cue_on_a_general_question():
    assert personal_cues("Comment configurer le wifi de ma box ?") == []
    assert personal_cues("Comment télécharger mes factures ?") == []
    assert personal_cues("How do I change my payment method?") == []
    # A status URL's long id is not an account number.
    assert personal_cues("see https://x.com/someone/status/1234567890123") == []


def test_cleaning_removes_handles_and_urls_and_splits_hashtags():
    query = clean_for_search(
        "@EntraideTelecom ma #BoxInternet est HS https://t.co/abc mdp oublié", "fr"
    )
    assert "entraidetelecom" not in query and "t.co" not in query
    assert "box" in query and "internet" in query
    assert "mot de passe" in query


def test_search_words_leave_out_conversation_but_keep_the_problem():
    query = clean_for_search(
        "Bonjour, je voudrais savoir comment on peut changer mon mdp svp", "fr"
    ).split()
    assert "mot" in query and "passe" in query and "changer" in query
    assert not {"bonjour", "voudrais", "comment", "peut", "savoir"} & set(query)
    query = clean_for_search("hi can you help, why does my app crash?", "en")
    assert "crash" in query and "app" in query
    assert not {"hi", "can", "help", "why"} & set(query.split())


def test_the_encoder_reads_the_post_as_written():
    # Handles, links and hashtag marks out; case, punctuation and emoji kept.
    assert (
        text_for_meaning("@alwaysdata Mon site affiche « 503 » 😭 #HelpPlease t.co")
        == "Mon site affiche « 503 » 😭 help please t.co"
    )
    assert text_for_meaning("Site DOWN?! https://t.co/x @host") == "Site DOWN?!"


def test_brand_words_from_handles():
    assert {"playstation", "rockstar"} <= addressed_brand_words(
        "@AskPlayStation @RockstarSupport hello"
    )


@pytest.mark.django_db
def test_reply_counts_urls_as_23_characters():
    link = "https://entraide.example/r/AbCdEfGh" + "x" * 60
    assert x_length(f"hello {link}") == len("hello ") + 23
    reply = reply_draft(
        variant="article",
        lang="fr",
        handle="client_mecontent",
        link=link,
        title="Comment redémarrer sa box " * 20,
    )
    assert x_length(reply) <= 280
    assert link in reply
    assert reply.startswith("@client_mecontent")
    assert "désolés" in reply.lower()


@pytest.mark.django_db
def test_reply_language_and_automatic_label():
    fr = reply_draft(variant="automatic", lang="fr", handle="a", link="https://x.y/r/1")
    en = reply_draft(variant="automatic", lang="en", handle="a", link="https://x.y/r/1")
    assert "Réponse automatique" in fr
    assert "Automated reply" in en
    manual = reply_draft(
        variant="ticket", lang="en", handle="a", link="https://x.y/r/1"
    )
    assert "Automated reply" not in manual and "ticket" in manual


@pytest.mark.django_db
def test_staff_template_without_label_still_labelled():
    reply_template_save(variant="automatic", lang="en", text="{name} Got it! {link}")
    reply = reply_draft(
        variant="automatic", lang="en", handle="bob", link="https://x.y/r/1"
    )
    assert reply.startswith("[Automated reply] @bob Got it!")

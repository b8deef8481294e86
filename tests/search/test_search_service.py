import pytest

from search import services, vocabulary
from search.models import SynonymGroup


def ids(response):
    return [hit.id for hit in response.results]


@pytest.mark.django_db
def test_french_verb_finds_noun_with_accents_and_elision(corpus):
    response = services.search("rembourser", lang="fr")
    assert ids(response)[0] == "article:1"
    hit = response.results[0]
    assert hit.title == "Remboursement des factures d'électricité"
    assert "<mark>" in hit.snippet
    assert hit.source == "billing/refunds"
    assert hit.kind == "article" and hit.lang == "fr" and hit.category == "Facturation"


@pytest.mark.django_db
def test_unaccented_query_finds_accented_text(corpus):
    assert ids(services.search("electricite", lang="fr")) == ["article:1"]


@pytest.mark.django_db
def test_english_stemming_finds_other_forms(corpus):
    assert ids(services.search("refunded", lang="en"))[0] == "article:3"
    assert ids(services.search("runs", lang="en")) == ["article:4"]


@pytest.mark.django_db
def test_language_filter_and_all_languages(corpus):
    assert set(ids(services.search("facture", lang="fr"))) == {"article:1"}
    assert "article:3" not in ids(services.search("refund", lang="fr"))
    # Without a language, both languages are searched.
    assert {"article:1", "article:3"} <= set(
        ids(services.search("remboursement refund"))
    )


@pytest.mark.django_db
def test_kind_filter(corpus):
    assert ids(services.search("box", lang="fr", kinds=["topic"])) == [
        "topic:5",
        "topic:6",
    ]
    assert ids(services.search("box", lang="fr", kinds=["article"])) == ["article:2"]


@pytest.mark.django_db
def test_solved_topic_ranks_above_unsolved_one(corpus):
    topics = ids(services.search("box clignote voyant", lang="fr", kinds=["topic"]))
    assert topics == ["topic:5", "topic:6"]
    hits = services.search("clignote", lang="fr", kinds=["topic"]).results
    assert hits[0].solved is True and hits[1].solved is False


@pytest.mark.django_db
def test_helpful_article_ranks_above_unhelpful_twin(index_doc):
    index_doc(id=10, title="Changer le mot de passe Wi-Fi", helpfulness=0.1)
    index_doc(id=11, title="Changer le mot de passe Wi-Fi", helpfulness=0.95)
    assert ids(services.search("mot de passe wifi", lang="fr")) == [
        "article:11",
        "article:10",
    ]


@pytest.mark.django_db
def test_title_matches_outrank_body_matches(index_doc):
    index_doc(id=20, title="Résilier un abonnement", body="Envoyez la demande.")
    index_doc(id=21, title="Déménager", body="Avant de résilier, pensez au transfert.")
    assert ids(services.search("résiliation", lang="fr")) == [
        "article:20",
        "article:21",
    ]


@pytest.mark.django_db
def test_typo_gets_a_did_you_mean_and_still_finds_results(corpus):
    response = services.search("remboursment", lang="fr")
    assert response.suggestion == "remboursement"
    assert ids(response)[0] == "article:1"
    swapped = services.search("electirc bills refnud", lang="en")
    assert "refund" in swapped.suggestion
    assert ids(swapped)[0] == "article:3"


@pytest.mark.django_db
def test_callers_can_search_the_words_as_typed(corpus):
    # The social triage searches posts whose unknown words are names and
    # slang: corrected, "remboursment" would still find the refund page.
    response = services.search("remboursment", lang="fr", correct=False)
    assert response.suggestion is None and ids(response) == []


@pytest.mark.django_db
def test_correct_query_has_no_suggestion(corpus):
    assert services.search("remboursement", lang="fr").suggestion is None


@pytest.mark.django_db
def test_staff_synonyms_expand_queries(corpus):
    assert "article:2" not in ids(services.search("routeur", lang="fr"))
    SynonymGroup.objects.create(terms="box, modem, routeur")
    assert "article:2" in ids(services.search("routeur", lang="fr"))
    SynonymGroup.objects.create(terms="remboursement, rembourser, refund", lang="en")
    assert "article:3" in ids(services.search("remboursement", lang="en"))


@pytest.mark.django_db
def test_inactive_synonyms_are_ignored(corpus):
    SynonymGroup.objects.create(terms="box, routeur", active=False)
    assert ids(services.search("routeur", lang="fr")) == []


@pytest.mark.django_db
def test_delete_removes_from_results_and_suggestions(corpus):
    assert services.document_delete(kind="article", id="article:1") is True
    assert ids(services.search("remboursement", lang="fr")) == []
    assert services.search("remboursment", lang="fr").suggestion is None
    assert services.document_delete(kind="article", id=1) is False


@pytest.mark.django_db
def test_reindexing_replaces_the_old_text(index_doc):
    index_doc(id=30, title="Ancien titre sur la fibre")
    index_doc(id=30, title="Nouveau titre sur le cuivre")
    assert ids(services.search("fibre", lang="fr")) == []
    assert ids(services.search("cuivre", lang="fr")) == ["article:30"]


@pytest.mark.django_db
def test_empty_query_returns_nothing_and_long_queries_are_cut(corpus):
    assert services.search("  ", lang="fr").results == []
    assert services.search("?!", lang="fr").results == []
    tweet = "remboursement " + "blabla " * 100
    assert ids(services.search(tweet, lang="fr"))[0] == "article:1"


@pytest.mark.django_db
def test_facets_count_every_match(corpus):
    response = services.search("box", lang="fr", facets=True)
    assert response.total == 3
    assert response.facets["kind"] == {"topic": 2, "article": 1}
    assert response.facets["solved"] == {"yes": 1, "no": 1}
    solved = services.search("box", lang="fr", filters={"solved": True})
    assert ids(solved) == ["topic:5"]
    by_category = services.search("box", lang="fr", filters={"category": "Internet"})
    assert ids(by_category) == ["article:2"]


@pytest.mark.django_db
def test_results_are_identical_on_every_database(corpus):
    """The same ordering is asserted on SQLite (FTS5) and PostgreSQL (tsvector)."""
    assert ids(services.search("internet", lang="fr")) == [
        "article:2",
        "topic:5",
        "topic:6",
    ]
    assert ids(services.search("refund bill twice", lang="en")) == ["article:3"]


@pytest.mark.django_db
def test_prefix_suggestions(corpus):
    suggestions = services.suggest("rembo", lang="fr")
    assert "remboursement" in suggestions["completions"]
    assert suggestions["results"][0].id == "article:1"
    two_words = services.suggest("facture electr", lang="fr")
    assert two_words["completions"] == ["facture electricite"]


def test_unknown_document_kind_is_refused(db):
    with pytest.raises(ValueError):
        services.document_upsert({"kind": "tweet", "id": 1, "lang": "fr"})
    with pytest.raises(ValueError):
        services.document_upsert({"kind": "article", "id": 1, "lang": "de"})


@pytest.mark.django_db
def test_health_reports_the_embedded_backend(corpus):
    assert services.backend_health() == {
        "ok": True,
        "backend": "embedded",
        "documents": 6,
    }


@pytest.mark.django_db
def test_no_did_you_mean_for_a_word_known_in_the_other_language(corpus):
    # "payment" is English, not a typo of the French "paiement".
    assert services.search("paiemant", lang="fr").suggestion == "paiement"
    response = services.search("payment")
    assert response.suggestion is None
    assert [hit.id for hit in response.results] == ["article:3"]


@pytest.mark.django_db
def test_in_large_indexes_common_words_only_rank_documents(corpus, monkeypatch):

    query = "box clignote orange"
    assert "article:2" in ids(services.search(query, lang="fr"))
    # Pretend the index is large: "box" and "clignote" are then too common to
    # select documents on their own; "orange" and the phrases still do.
    monkeypatch.setattr(vocabulary, "COMMON_MIN_DOCUMENTS", 1)
    monkeypatch.setattr(vocabulary, "COMMON_SHARE", 0.3)
    assert ids(services.search(query, lang="fr")) == ["topic:5", "topic:6"]
    # Only common words: nothing is left out.
    assert "article:2" in ids(services.search("box", lang="fr"))

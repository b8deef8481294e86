from search.analysis import analyze, fold, words


def test_accents_are_folded_before_stemming_so_typed_and_accented_words_agree():
    assert analyze("électricité", "fr") == analyze("electricite", "fr")
    assert analyze("Hébergement", "fr") == analyze("hebergement", "fr")


def test_french_verb_and_noun_share_a_stem():
    assert analyze("rembourser", "fr") == analyze("remboursement", "fr")


def test_elision_is_removed_from_french_words():
    assert words("l'électricité d'un client qu'il") == [
        "electricite",
        "un",
        "client",
        "il",
    ]
    assert analyze("l'électricité", "fr") == analyze("électricité", "fr")


def test_stop_words_are_dropped_per_language():
    assert analyze("la facture de la box", "fr") == analyze("facture box", "fr")
    assert analyze("the refund of the bill", "en") == analyze("refund bill", "en")


def test_english_stemming():
    assert analyze("refunds", "en") == analyze("refunded", "en") == ["refund"]
    assert analyze("running", "en") == ["run"]


def test_fold_handles_ligatures_and_case():
    assert fold("Œuvre ÉTÉ") == "oeuvre ete"

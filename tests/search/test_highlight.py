"""search.highlight.snippet gives what a full tokenisation gives, and stays safe.

snippet() avoids tokenising and stemming whole documents; these tests hold it
to a plain reference implementation (tokenise everything, stem every distinct
word, escape word by word) on texts made to hit its shortcuts: accents, case,
ligatures, other scripts, emoji, question marks, digits, many or far apart
matches, very long texts.
"""

import random
import re
from html import escape
from itertools import islice

import pytest

from search import highlight
from search.analysis import analyze, fold, stem
from search.highlight import snippet

_TOKEN = re.compile(r"\w+")


def _reference(texts, lang, stems, words=highlight.SNIPPET_WORDS):
    fallback = None
    for text in texts:
        if not text:
            continue
        text = text[: highlight._SCAN_CHARS]
        tokens = _TOKEN.findall(text)
        if not tokens:
            continue
        if fallback is None:
            fallback = text
        matching = {t for t in set(tokens) if stem(fold(t), lang) in stems}
        if matching:
            hits = [i for i, t in enumerate(tokens) if t in matching]
            return _reference_render(text, hits, words)
    if fallback is None:
        return ""
    return _reference_render(fallback, [], words)


def _reference_render(text, hits, words):
    start = 0
    if hits:
        best = -1
        j = 0
        for i, h in enumerate(hits):
            while j < len(hits) and hits[j] < h + words:
                j += 1
            if j - i > best:
                best, start = j - i, max(0, h - 3)
    hit_set = set(hits)
    out = []
    pos = None
    more = False
    for index, m in enumerate(islice(_TOKEN.finditer(text), start, None), start):
        if index >= start + words:
            more = True
            break
        if pos is not None:
            out.append(escape(text[pos : m.start()]))
        word = escape(m.group())
        out.append(f"<mark>{word}</mark>" if index in hit_set else word)
        pos = m.end()
    html = re.sub(r"\s+", " ", "".join(out).strip())
    if start > 0:
        html = "… " + html
    if more:
        html += " …"
    return html


# Word lists read and edit best as prose, hence the str.split() below.
WORDS = (  # noqa: SIM905
    "facture factures FACTURÉE Facturation électricité Électricité electricite "
    "remboursement rembourser box boîte compte comptes décompte configurer "
    "configuration confirmer cœur Œuvre œuvres straße µs ½ ﬁchier H₂O naïve "
    "Ÿvette l’électricité d'une qu'il jusqu'à e\u0301lectricite x_y foo_bar "
    "2024 1 12 123abc a b i y dying skies hoping possibility happily running "
    "fabrication couramment évidemment chevaux heureuse essayer PHP ssh "
    "ΣΟΦΙΑ Σοφία Привет счёт 日本語 請求書 İstanbul ǅemal 𝐀bc Ⅷ ① "
    "refund refunds billing billed twice payment applications"
).split()
SEPARATORS = [
    " ",
    "  ",
    ", ",
    ". ",
    "\n",
    "\n\n",
    " - ",
    "-",
    "’",
    "'",
    " « ",
    " » ",
    "…",
    " ? ",
    "?",
    "!",
    " ✔️ ",
    " 📄 ",
    "\u00a0",
    "\u202f",
    "\t",
    " <b> ",
    "</script>",
    ' "&" ',
    " | --- | ",
    "\x00",
    "\x01",
    "→",
    "。",
]
MARK_WORDS = (  # noqa: SIM905
    "facture electricite rembourser box compte configuration coeur oeuvre "
    "strasse fichier naive dying skies hope possible happy run fabriquer "
    "courant evident cheval heureux essai php ssh 2024 1 x_y refund bill pay "
    "sofia привет 請求書"
).split()


def _text(rng, size):
    parts = []
    for _ in range(size):
        parts.append(rng.choice(WORDS))
        parts.append(rng.choice(SEPARATORS) if rng.random() < 0.3 else " ")
    return "".join(parts)


def _cases(count=400):
    rng = random.Random(20240611)
    for _ in range(count):
        lang = rng.choice(["fr", "en", "de"])
        stems = {stem(fold(w), lang) for w in rng.sample(MARK_WORDS, 4)}
        size = rng.choice([1, 5, 40, 300, 1500])
        texts = [_text(rng, size)]
        if rng.random() < 0.3:
            texts.insert(0, rng.choice(["", None, _text(rng, 8), "…"]))
        yield texts, lang, stems


def test_same_snippets_as_a_full_tokenisation():
    differ = [
        (texts, lang, stems)
        for texts, lang, stems in _cases()
        if snippet(texts, lang, stems) != _reference(texts, lang, stems)
    ]
    assert differ == []


@pytest.mark.parametrize(
    "text",
    [
        # Mostly another script: the text is tokenised in full.
        "Привет мир это тестовый текст, счёт и facture. " * 200,
        "これは日本語のテキストです。請求書について。" * 200,
        # Many symbols outside Latin-1.
        "Votre facture ✔️ est prête 📄 le compte ⚙️ l’offre → ok " * 150,
        # Many matches, and matches far apart in a long text.
        "facture " * 3000,
        "facture " + "lorem ipsum dolor " * 2000 + "facture box facture",
        # Numbers: a short prefix found inside most words.
        "2024-11-01 1234 5678 91011 12131 1 " * 400,
        # Longer than what is scanned, with a match past the limit.
        "mot " * 6000 + "facture",
        "",
        "  ... ,,, !!! ",
    ],
)
def test_same_snippets_on_unusual_texts(text):
    for lang, words in (("fr", "facture счёт 請求書について compte 1"), ("en", "box")):
        stems = {stem(fold(w), lang) for w in words.split()}
        assert snippet([text], lang, stems) == _reference([text], lang, stems)
        assert snippet(["", text], lang, set()) == _reference(["", text], lang, set())


def test_document_markup_never_survives():
    body = (
        'La facture <script>alert("x")</script> <b onclick="steal()">facture</b> '
        "&amp; <img src=x onerror=alert(1)> fin\x00<mark>\x01"
    )
    html = snippet([body], "fr", {stem("facture", "fr")})
    assert html == _reference([body], "fr", {stem("facture", "fr")})
    assert "<script" not in html and "<b " not in html and "<img" not in html
    assert "&lt;script&gt;" in html and "\x00&lt;mark" in html
    # The only tags are the marks around the two matching words.
    assert re.findall(r"<[^>]*>", html) == ["<mark>", "</mark>"] * 2


def test_marks_folded_stemmed_words_and_trims_long_text():
    body = (
        "Intro. " * 40 + "L'Électricité et les factures d'électricité. " + "Fin. " * 40
    )
    stems = set(analyze("electricite facture", "fr"))
    html = snippet(["", body], "fr", stems)
    assert html.startswith("… ") and html.endswith(" …")
    assert "<mark>Électricité</mark>" in html and "<mark>factures</mark>" in html
    assert len(re.sub(r"<[^>]+>", "", html).split()) <= highlight.SNIPPET_WORDS + 2


def test_first_text_with_a_match_wins_else_first_text_unmarked():
    stems = set(analyze("remboursement", "fr"))
    texts = ["Rien ici.", "", "Demandez un remboursement."]
    # The window runs from word to word: the final "." is left out.
    assert snippet(texts, "fr", stems) == "Demandez un <mark>remboursement</mark>"
    assert snippet(["", "Rien ici.", "Autre."], "fr", stems) == "Rien ici"
    assert snippet(["", None, "..."], "fr", stems) == ""


WORD_FORMS = {
    "fr": (  # noqa: SIM905
        "facture factures facturation facturer électricité électrique chevaux "
        "cheval heureuse heureux heureusement couramment évidemment fabrication "
        "fabriquer essayer essayons payer paye abonnement abonner logiciel "
        "configuration configurer décompte comptes sensibilité possibilité "
        "activité actif active activation rapidement gentiment journaux oeuvre "
        "oeuvres yeux crayon crayons employé employer nettoyer nettoyage "
        "publicité publique publiquement historique historiquement musicienne "
        "question questions questionner acquérir acquis généralement générale"
    ).split(),
    "en": (  # noqa: SIM905
        "dying lying tying skies skis sky happy happily happiness possibility "
        "possible sensibility relational conditional hoping hopping running "
        "generously generous electricity electrical replies replied crying "
        "billing billed refunds applications organization organizer valency "
        "hesitancy notably probably gently ugly early only singly idly news "
        "agreed proceed exceeding activity activities fulfilment helpfulness"
    ).split(),
}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_word_starts_with_the_anchor_of_its_stem(lang):
    # snippet() looks for words by the start of their stem: this is what
    # makes that safe, and a stemmer upgrade breaking it would show here.
    suffixes = ["", "s", "e", "es", "ement", "ation", "ité", "ique", "ing", "ly"]
    words = {
        fold(w + s)
        for w in WORD_FORMS[lang] + MARK_WORDS
        for s in suffixes
        if w.isascii() or not s
    }
    wrong = {
        w: stem(w, lang)
        for w in words
        if not w.startswith(highlight._anchor(stem(w, lang)))
    }
    assert wrong == {}

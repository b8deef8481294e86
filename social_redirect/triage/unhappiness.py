"""Unhappiness 0–1: VADER for English, our own lexicon for French, plus rules.

The rules catch what lexicons miss in complaints to a brand: sarcastic hashtags,
"still not", a count of days, shouting, and angry emoji.
"""

import re
import unicodedata
from functools import lru_cache

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

UNHAPPY_THRESHOLD = 0.35

# Weights in -1..1 (negative = unhappy). Keys are accent-folded, lower case;
# a trailing "*" matches any ending.
FRENCH_LEXICON = {
    "nul": -0.7,
    "nuls": -0.7,
    "nulle": -0.7,
    "naze": -0.6,
    "pourri*": -0.8,
    "honte": -0.8,
    "honteux": -0.8,
    "scandale": -0.9,
    "scandaleux": -0.9,
    "inadmissible": -0.9,
    "inacceptable": -0.9,
    "lamentable": -0.8,
    "catastroph*": -0.8,
    "galere*": -0.6,
    "marre": -0.7,
    "ras-le-bol": -0.8,
    "enerve*": -0.7,
    "furieux": -0.9,
    "furieuse": -0.9,
    "colere": -0.8,
    "decu*": -0.6,
    "deception": -0.6,
    "arnaque*": -0.9,
    "escro*": -0.9,
    "panne": -0.5,
    "pannes": -0.5,
    "coupe": -0.3,
    "coupure*": -0.5,
    "bug*": -0.4,
    "plante": -0.4,
    "impossible": -0.5,
    "inutilisable": -0.7,
    "lent": -0.4,
    "lente": -0.4,
    "lenteur*": -0.5,
    "attente": -0.3,
    "probleme*": -0.4,
    "souci*": -0.3,
    "erreur*": -0.4,
    "mauvais*": -0.5,
    "pire": -0.7,
    "horrible": -0.8,
    "insupportable": -0.8,
    "abuse*": -0.5,
    "ridicule": -0.6,
    "incompetent*": -0.8,
    "injoignable*": -0.7,
    "personne": -0.2,
    "plainte": -0.5,
    "resilie*": -0.6,
    "resiliation": -0.5,
    "vol": -0.4,
    "voleurs": -0.9,
    "merde*": -0.9,
    "putain": -0.8,
    "wtf": -0.6,
    "grr*": -0.5,
    "bloque*": -0.5,
    "aucun": -0.2,
    "aucune": -0.2,
    "bien": 0.4,
    "bon": 0.3,
    "bonne": 0.3,
    "super": 0.6,
    "genial": 0.7,
    "parfait*": 0.7,
    "merci": 0.3,
    "top": 0.5,
    "bravo": 0.7,
    "content*": 0.5,
    "satisfait*": 0.5,
    "rapide": 0.3,
    "efficace*": 0.5,
    "excellent*": 0.8,
    "marche": 0.2,
    "fonctionne": 0.2,
    "resolu*": 0.4,
    "regle": 0.3,
}
_NEGATORS = {"pas", "plus", "jamais", "rien", "aucun", "aucune", "ni", "sans"}

_ANGRY_EMOJI = set("😡😠🤬👿💢😤🙄😒😞😩😫😭😖😣🤦🖕👎💩")
_WORD = re.compile(r"[\w'’-]+", re.UNICODE)

_RULES = [
    # (weight, pattern) — added on top of the lexicon score.
    (
        0.30,
        re.compile(r"#\s?(fail|epicfail|honte|scandale|boycott\w*|arnaque)\b", re.I),
    ),
    (
        0.25,
        re.compile(
            r"\b(toujours pas|toujours rien|toujours en panne|encore une fois|"
            r"still (not|no|down|waiting|broken)|yet again)\b",
            re.I,
        ),
    ),
    (
        0.20,
        re.compile(
            r"\b(depuis|since|for|pendant)\s+(\d+|deux|trois|quatre|cinq|plusieurs|two|three|four|five|several)\s+(jours?|semaines?|mois|heures?|days?|weeks?|months?|hours?)\b",
            re.I,
        ),
    ),
    (
        0.15,
        re.compile(
            r"\b(aucune r[ée]ponse|personne ne r[ée]pond|"
            r"no (reply|response|answer)|nobody (answers|replies))\b",
            re.I,
        ),
    ),
    (
        # An outage is a complaint even in neutral words.
        0.30,
        re.compile(
            r"\b((plus|pas|aucune?|sans) (de |d')?(connexion|internet|r[ée]seau|"
            r"ligne|tonalit[ée]|wifi|t[ée]l[ée]|signal|service)|"
            r"no (internet|signal|connection|service|wifi|network|dial tone)|"
            r"(internet|wifi|service|network|site|website) (is |has been )?down)\b",
            re.I,
        ),
    ),
    (0.10, re.compile(r"[!?]{3,}")),
]


def _fold(text):
    return "".join(
        c
        for c in unicodedata.normalize("NFKD", text.lower())
        if not unicodedata.combining(c)
    )


@lru_cache(maxsize=1)
def sentiment_analyzer() -> SentimentIntensityAnalyzer:
    """The one VADER analyzer of the process (loading its lexicon is slow)."""
    return SentimentIntensityAnalyzer()


@lru_cache(maxsize=4096)
def _french_weight(word):
    if word in FRENCH_LEXICON:
        return FRENCH_LEXICON[word]
    for key, weight in FRENCH_LEXICON.items():
        if (
            key.endswith("*")
            and word.startswith(key[:-1])
            and len(word) >= len(key) - 1
        ):
            return weight
    return 0.0


def french_score(text):
    """Compound-like score in -1..1 from the French lexicon, with negation."""
    words = [w.strip("'’-") for w in _WORD.findall(_fold(text))]
    total = 0.0
    for i, word in enumerate(words):
        weight = _french_weight(word)
        if not weight:
            continue
        # "pas content" is unhappy, "pas mal" is fine: a negator in the three
        # previous words flips the sign and softens it.
        if any(w in _NEGATORS for w in words[max(0, i - 3) : i]):
            weight = -weight * (1.0 if weight > 0 else 0.5)
        total += weight
    # Same squashing as VADER so both languages share one scale.
    return total / ((total * total + 2.0) ** 0.5)


def _shouting(text):
    letters = [c for c in text if c.isalpha()]
    caps_words = [
        w
        for w in re.findall(r"\b[A-ZÀ-Ý]{3,}\b", text)
        if w
        not in {
            "SAV",
            "ADSL",
            "WIFI",
            "FTTH",
            "TV",
            "SMS",
            "PS4",
            "PS5",
            "USA",
            "FAQ",
            "URL",
        }
    ]
    if len(letters) >= 12 and sum(c.isupper() for c in letters) / len(letters) > 0.6:
        return 0.2
    return 0.1 if len(caps_words) >= 2 else 0.0


def unhappiness(text, lang="en"):
    """0 (content) to 1 (furious)."""
    clean = re.sub(r"https?://\S+|@\w+", " ", text)
    if lang == "fr":
        compound = french_score(clean)
        # VADER still reads emoji and English slang that French posts borrow.
        compound = min(
            compound, sentiment_analyzer().polarity_scores(clean)["compound"] * 0.5
        )
    else:
        compound = sentiment_analyzer().polarity_scores(clean)["compound"]
    score = min(1.0, max(0.0, -compound) * 1.3)
    boost = sum(w for w, rx in _RULES if rx.search(clean))
    boost += _shouting(clean)
    if any(ch in _ANGRY_EMOJI for ch in clean):
        boost += 0.25
    score = 1 - (1 - score) * (1 - min(boost, 0.9))
    # Plain praise stays calm even with exclamation marks.
    if compound > 0.5 and boost < 0.25:
        score *= 0.5
    return round(max(0.0, min(1.0, score)), 3)

"""Match scores turned into what a community manager can act on.

``match_probability`` is a logistic model of "the first candidate is the
right article" on scale-free figures of the match (the fused score of the
first candidate, its lead over the second, its lexical and embedding
scores, whether both legs put it first, each leg's own rank of it and
lead, whether the two legs alone agree), with weights per language: the
same figures do not mean the same in French and in English (a French post
shares fewer exact words with its article; the English set's knowledge base
is harder), so one set of weights for both was over-confident in English
and timid in French. The coefficients were fitted by
``bench/triage_calibrate.py`` on the French and IBM dev sets together (every
tweet with a gold article, the language crossed with every figure), and the
levels were chosen on the probabilities predicted by 5-fold
cross-validation (never on the tweets the model had seen): "sure" from the
lowest probability above which at least 85 % of the cross-validated
predictions were right (0.63; cross-validated: French precision 0.887 at
coverage 0.620, English (IBM) 0.814 at 0.276, both sets 0.857), "check"
from 0.45 (the first candidate is about as likely right as wrong), and
below it the community manager chooses among the first three.
"""

import math

from django.utils.translation import gettext_lazy as _

# Fitted by bench/triage_calibrate.py (see the module docstring).
COEFFICIENTS = {
    "en": {
        "top": 1.0035,
        "margin": 1.7711,
        "lexical": -1.9846,
        "dense": 1.5855,
        "coverage": -1.0883,
        "words": 0.1338,
        "branded": 0.3443,
        "agree": -0.0018,
        "lexical_rank": 0.3170,
        "dense_rank": 1.3637,
        "legs_agree": -0.0001,
        "lexical_margin": -1.4972,
        "dense_margin": 4.3587,
    },
    "fr": {
        "top": 1.2320,
        "margin": 5.3051,
        "lexical": -1.8024,
        "dense": 1.5890,
        "coverage": -1.0715,
        "words": 0.1337,
        "branded": 0.3443,
        "agree": 0.0763,
        "lexical_rank": 0.9632,
        "dense_rank": 1.1485,
        "legs_agree": 0.0780,
        "lexical_margin": 0.5169,
        "dense_margin": 3.1272,
    },
}
INTERCEPTS = {
    "en": -2.5417,
    "fr": -2.7703,
}
# The same fit on the lexical-only variant (no embedding leg). Its own CV
# "sure" level was 0.57 (French 0.864 at 0.590); the higher level of the two
# serves both, so a fallback is never called sure more lightly.
LEXICAL_COEFFICIENTS = {
    "en": {
        "top": -0.4742,
        "margin": 0.6018,
        "lexical": -0.4742,
        "dense": 0.0000,
        "coverage": -0.2813,
        "words": 0.1835,
        "branded": 1.2903,
        "agree": 1.0441,
        "lexical_rank": 0.0734,
        "dense_rank": 0.0000,
        "legs_agree": 0.0000,
        "lexical_margin": 0.1703,
        "dense_margin": 0.0000,
    },
    "fr": {
        "top": -0.3779,
        "margin": 3.4143,
        "lexical": -0.3779,
        "dense": 0.0000,
        "coverage": 0.4077,
        "words": 0.2376,
        "branded": 1.2903,
        "agree": 1.1404,
        "lexical_rank": 0.1697,
        "dense_rank": 0.0000,
        "legs_agree": 0.0000,
        "lexical_margin": 2.9827,
        "dense_margin": 0.0000,
    },
}
LEXICAL_INTERCEPTS = {
    "en": -2.6272,
    "fr": -2.5309,
}
SURE = 0.63
CHECK = 0.45

LEVELS = {
    "sure": _("sure"),
    "check": _("check"),
    "choose": _("choose"),
}
LEVEL_HELP = {
    "sure": _("The suggested article is right in at least 85% of such cases."),
    "check": _("Probably right: read the article title before replying."),
    "choose": _("Not sure enough: choose the right answer among the first three."),
}


def match_probability(
    features: dict, *, semantic: bool = True, lang: str = "en"
) -> float:
    """Estimated chance (0–1) that the first candidate is the right article
    for a post in ``lang`` (English weights for any other language)."""
    if not features:
        return 0.0
    lang = lang if lang in COEFFICIENTS else "en"
    weights, intercept = (
        (COEFFICIENTS[lang], INTERCEPTS[lang])
        if semantic
        else (LEXICAL_COEFFICIENTS[lang], LEXICAL_INTERCEPTS[lang])
    )
    z = intercept + sum(w * float(features.get(k, 0.0)) for k, w in weights.items())
    return round(1.0 / (1.0 + math.exp(-z)), 3)


def confidence_level(probability: float) -> str:
    """ "sure", "check" or "choose"."""
    if probability >= SURE:
        return "sure"
    if probability >= CHECK:
        return "check"
    return "choose"


URGENCY_LEVELS = {
    "first": _("handle first"),
    "soon": _("handle soon"),
    "later": _("can wait"),
}


def urgency_level(score: float, *, overdue: bool = False) -> str:
    """Words for ``services.mentions.urgency`` (unhappiness × reach × age).

    A calm post from a small account, fresh, scores about 0.2; an angry one
    (unhappiness 0.8) from 1,000 followers after half an hour about 4.
    """
    if overdue or score >= 2.0:
        return "first"
    if score >= 0.8:
        return "soon"
    return "later"

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
predictions were right (0.68; cross-validated: French precision 0.883 at
coverage 0.600, English (IBM) 0.857 at 0.045, both sets 0.881), "check"
from 0.45 (the first candidate is about as likely right as wrong), and
below it the community manager chooses among the first three.
"""

import math

from django.utils.translation import gettext_lazy as _

# Fitted by bench/triage_calibrate.py (see the module docstring).
COEFFICIENTS = {
    "en": {
        "top": -1.1825,
        "margin": 2.6513,
        "lexical": -1.0698,
        "dense": 1.2191,
        "coverage": 0.3861,
        "words": 0.3843,
        "branded": 0.3747,
        "agree": -0.0871,
        "lexical_rank": 1.0678,
        "dense_rank": 0.6995,
        "legs_agree": -0.4444,
        "lexical_margin": -0.6932,
        "dense_margin": 0.6311,
    },
    "fr": {
        "top": -1.2852,
        "margin": 6.6545,
        "lexical": -1.0451,
        "dense": 1.0879,
        "coverage": 0.6745,
        "words": 0.3000,
        "branded": 0.3747,
        "agree": 0.1981,
        "lexical_rank": 1.8446,
        "dense_rank": 0.9583,
        "legs_agree": -0.1592,
        "lexical_margin": 1.3668,
        "dense_margin": 1.8137,
    },
}
INTERCEPTS = {
    "en": -2.3136,
    "fr": -2.5982,
}
# The same fit on the lexical-only variant (no embedding leg). Its own CV
# "sure" level was 0.61 (French 0.877 at 0.570); the higher level of the two
# serves both, so a fallback is never called sure more lightly.
LEXICAL_COEFFICIENTS = {
    "en": {
        "top": -0.3131,
        "margin": 0.7740,
        "lexical": -0.3131,
        "dense": 0.0,
        "coverage": -0.0693,
        "words": 0.1339,
        "branded": 1.2123,
        "agree": 0.5037,
        "lexical_rank": 0.2431,
        "dense_rank": 0.0,
        "legs_agree": 0.0,
        "lexical_margin": 0.9537,
        "dense_margin": 0.0,
    },
    "fr": {
        "top": -0.1754,
        "margin": 3.2344,
        "lexical": -0.1754,
        "dense": 0.0,
        "coverage": 0.9711,
        "words": 0.1810,
        "branded": 1.2123,
        "agree": 0.6414,
        "lexical_rank": 0.3808,
        "dense_rank": 0.0,
        "legs_agree": 0.0,
        "lexical_margin": 3.4141,
        "dense_margin": 0.0,
    },
}
LEXICAL_INTERCEPTS = {
    "en": -2.7170,
    "fr": -2.5793,
}
SURE = 0.68
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

"""Match scores turned into what a community manager can act on.

``match_probability`` is a logistic model of "the first candidate is the
right article" on scale-free figures of the match (the fused score of the
first candidate, its lead over the second, its lexical and embedding
scores, whether both legs put it first). Its coefficients were fitted by
``bench/triage_calibrate.py`` on the French and IBM dev sets together
(every tweet with a gold article), and the levels were chosen on the
probabilities predicted by 5-fold cross-validation (never on the tweets
the model had seen): "sure" from the lowest probability above which at
least 85 % of the cross-validated predictions were right (0.73), "check"
from 0.45 (the first candidate is about as likely right as wrong), and
below it the community manager chooses among the first three.
"""

import math

from django.utils.translation import gettext_lazy as _

# Fitted by bench/triage_calibrate.py (see the module docstring).
COEFFICIENTS = {
    "top": -0.3716,
    "margin": 3.6771,
    "lexical": -0.4219,
    "dense": -0.0695,
    "coverage": 0.5577,
    "words": 0.2919,
    "branded": -1.0677,
    "agree": 0.6693,
}
INTERCEPT = -1.1058
# The same fit on the lexical-only variant (no embedding leg).
LEXICAL_COEFFICIENTS = {
    "top": -0.9860,
    "margin": 2.5252,
    "lexical": -0.9860,
    "dense": 0.0,
    "coverage": 0.3917,
    "words": 0.1257,
    "branded": -0.8577,
    "agree": 1.0415,
}
LEXICAL_INTERCEPT = -0.2905
SURE = 0.73
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


def match_probability(features: dict, *, semantic: bool = True) -> float:
    """Estimated chance (0–1) that the first candidate is the right article."""
    if not features:
        return 0.0
    weights, intercept = (
        (COEFFICIENTS, INTERCEPT)
        if semantic
        else (LEXICAL_COEFFICIENTS, LEXICAL_INTERCEPT)
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

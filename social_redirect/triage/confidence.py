"""Match scores turned into what a community manager can act on.

``match_probability`` is a logistic model of "the first candidate is the
right article" on scale-free figures of the match (the fused score of the
first candidate, its lead over the second, its lexical and embedding
scores, whether both legs put it first, each leg's own rank of it and
lead, whether the two legs alone agree). Its coefficients were fitted by
``bench/triage_calibrate.py`` on the French and IBM dev sets together
(every tweet with a gold article), and the levels were chosen on the
probabilities predicted by 5-fold cross-validation (never on the tweets
the model had seen): "sure" from the lowest probability above which at
least 85 % of the cross-validated predictions were right (0.75;
cross-validated on the French dev set: precision 0.95, coverage 0.40), "check"
from 0.45 (the first candidate is about as likely right as wrong), and
below it the community manager chooses among the first three.
"""

import math

from django.utils.translation import gettext_lazy as _

# Fitted by bench/triage_calibrate.py (see the module docstring).
COEFFICIENTS = {
    "top": -5.5984,
    "margin": 3.5392,
    "lexical": 0.4085,
    "dense": 0.1837,
    "coverage": 0.5102,
    "words": 0.5174,
    "branded": -0.9564,
    "agree": -0.3734,
    "lexical_rank": 2.3703,
    "dense_rank": 2.4162,
    "legs_agree": -0.2905,
    "lexical_margin": 1.6294,
    "dense_margin": -4.3341,
}
INTERCEPT = -1.1463
# The same fit on the lexical-only variant (no embedding leg).
LEXICAL_COEFFICIENTS = {
    "top": -1.0010,
    "margin": 1.1480,
    "lexical": -1.0010,
    "dense": 0.0,
    "coverage": 0.2991,
    "words": 0.2933,
    "branded": -0.6538,
    "agree": -0.4193,
    "lexical_rank": 2.0471,
    "dense_rank": 0.0,
    "legs_agree": 0.0,
    "lexical_margin": 2.7648,
    "dense_margin": 0.0,
}
LEXICAL_INTERCEPT = -1.6731
SURE = 0.75
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

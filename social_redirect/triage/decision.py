"""Everything triage decides about one post (no database writes).

1. Language and unhappiness.
2. What the post is: thanks, praise or news need no article (target
   "none"); a personal matter only staff can act on goes to the private
   ticket form, with the reasons named; anything else gets the best article.
3. How sure the match is, in a level community managers read
   (``confidence``); below "check" they choose among the first three.
"""

from dataclasses import dataclass, field

from social_redirect.triage.confidence import confidence_level, match_probability
from social_redirect.triage.cues import howto_cue, kind_of_post, personal_cues
from social_redirect.triage.intents import intent_scores
from social_redirect.triage.language import detect_language
from social_redirect.triage.matching import Candidate, match_candidates
from social_redirect.triage.unhappiness import UNHAPPY_THRESHOLD, unhappiness

# Posts closer to "thanks, praise, news" than to "a problem" by this much in
# meaning need no answer, even without a word of thanks. Above every dev
# tweet that needed an answer (highest 0.11, bench/triage_calibrate.py).
NO_ANSWER_MARGIN = 0.15
# Cues that a how-to question may carry without being a personal matter
# ("how do I close my account?").
_HOWTO_COMPATIBLE = {"account", "identifier"}


@dataclass
class Triage:
    lang: str
    unhappiness: float
    unhappy: bool
    # Why the post is personal (cue names, see cues.PERSONAL_REASONS).
    signals: list
    target_kind: str  # "article" | "topic" | "ticket" | "none"
    confidence: float
    level: str  # "sure" | "check" | "choose"
    post_kind: str = "problem"  # "problem" | "thanks"
    semantic: bool = False
    features: dict = field(default_factory=dict)
    candidates: list[Candidate] = field(default_factory=list)

    @property
    def best(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None


def personal_reasons(text: str) -> list[str]:
    """The personal matters a post names, unless it only asks how to do
    something about them."""
    cues = personal_cues(text)
    if cues and howto_cue(text) and set(cues) <= _HOWTO_COMPATIBLE:
        return []
    return cues


def triage_text(
    text: str,
    lang: str | None = None,
    *,
    semantic: bool | None = None,
    vector=None,
) -> Triage:
    """``vector``: the post's embedding when a batch was embedded at once
    (``matching.post_vectors``); ``semantic=False`` is the fast lexical
    first triage of a burst."""
    lang = lang if lang in ("fr", "en") else detect_language(text)
    score = unhappiness(text, lang)
    reasons = personal_reasons(text)
    match = match_candidates(text, lang, semantic=semantic, vector=vector)
    post_kind = kind_of_post(text)
    if post_kind != "thanks" and not reasons and "?" not in text:
        intents = intent_scores(match.vector)
        if intents and intents["no_answer"] - intents["problem"] >= NO_ANSWER_MARGIN:
            post_kind = "thanks"
    probability = match_probability(match.features, semantic=match.semantic, lang=lang)
    if post_kind == "thanks" and score < UNHAPPY_THRESHOLD:
        target_kind = "none"
    elif reasons or not match.candidates:
        target_kind = "ticket"
    else:
        target_kind = match.candidates[0].kind
    return Triage(
        lang=lang,
        unhappiness=score,
        unhappy=score >= UNHAPPY_THRESHOLD,
        signals=reasons,
        target_kind=target_kind,
        confidence=probability,
        level=confidence_level(probability),
        post_kind=post_kind,
        semantic=match.semantic,
        features=match.features,
        candidates=match.candidates,
    )

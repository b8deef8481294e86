"""What the dashboard shows of a mention's triage: words, not raw scores."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from search import embeddings
from social_redirect.triage.confidence import (
    LEVEL_HELP,
    LEVELS,
    URGENCY_LEVELS,
    confidence_level,
    urgency_level,
)

REASONS = {
    "money": _("money taken or owed (double charge, refund)"),
    "account": _("account suspended, hacked or deleted"),
    "personal_data": _("personal data (copy or deletion)"),
    "unanswered": _("a ticket left unanswered"),
    "identifier": _("a specific invoice, order or file of theirs"),
    "contact": _("personal details posted in public"),
}
CHOICES_SHOWN = 3


def mention_triage_display(mention) -> dict:
    """Level, urgency and reasons in the page's language for one mention."""
    level = confidence_level(mention.confidence)
    urgency = getattr(mention, "urgency", None)
    urgency_key = (
        urgency_level(urgency, overdue=getattr(mention, "overdue", False))
        if urgency is not None
        else ""
    )
    return {
        "level": level,
        "level_label": LEVELS[level],
        "level_help": LEVEL_HELP[level],
        "urgency": urgency_key,
        "urgency_label": URGENCY_LEVELS.get(urgency_key, ""),
        "reasons": [REASONS[r] for r in mention.private_signals if r in REASONS],
        "no_answer": mention.target_kind == "none",
        "choose": mention.target_kind in ("article", "topic") and level == "choose",
        "choices": mention.candidates[:CHOICES_SHOWN],
    }


def matching_note() -> str | None:
    """Why matching is lexical only right now, for the dashboard (or None)."""
    if not getattr(settings, "SOCIAL_SEMANTIC_MATCHING", True):
        return None
    if embeddings.model_status() is None:
        return None
    return _(
        "The meaning model could not be loaded: suggestions use words only "
        "and are less accurate. Ask an administrator to check the server log."
    )

"""“Did this article help you?” votes: one per member, or per browser session."""

from django.contrib.auth.models import AbstractUser
from django.db import IntegrityError, transaction

from kb.models import ArticleFeedback, ArticlePage


def article_feedback_record(
    *,
    page: ArticlePage,
    helpful: bool,
    user: AbstractUser | None = None,
    session_key: str = "",
) -> bool:
    """Count one “did this help?” vote; returns False if this user/session voted."""
    if user is not None and not user.is_authenticated:
        user = None
    if user is None and not session_key:
        return False
    lookup = {"user": user} if user else {"user": None, "session_key": session_key}
    if ArticleFeedback.objects.filter(page=page, **lookup).exists():
        return False
    try:
        with transaction.atomic():
            ArticleFeedback.objects.create(
                page=page,
                user=user,
                session_key="" if user else session_key,
                helpful=bool(helpful),
            )
    except IntegrityError:
        return False
    return True

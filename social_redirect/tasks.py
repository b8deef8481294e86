"""Background work on mentions, through django-tasks (immediate by default)."""

from django.db import transaction
from django_tasks import task

from social_redirect.services import mentions as mention_services


@task()
def mentions_refine():
    """Add the embeddings' meaning to mentions stored with the lexical first
    triage of a burst (``services.mentions.lexical_first``)."""
    return {"refined": mention_services.mentions_refine()}


def mentions_refine_later() -> None:
    """Enqueue the refinement once the mentions it reads are committed."""
    transaction.on_commit(mentions_refine.enqueue)

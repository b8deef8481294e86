"""Listens to social_redirect's signals (status depends on social_redirect,
never the reverse)."""

from django.dispatch import receiver

from social_redirect.signals import mention_reply_drafting, mentions_triaged
from status.services import (
    incident_of_target,
    incident_reply_draft,
    mentions_target_open_incident,
)


@receiver(mentions_triaged, dispatch_uid="status.mentions_triaged")
def mentions_to_open_incident(sender, *, mentions, **kwargs):
    """While an incident is open, a mention about it is answered with the
    incident page. Posts needing no answer and personal matters keep theirs;
    a complaint with no matching article (ticket form by default) is better
    answered with the incident page."""
    mentions_target_open_incident(
        mentions=[
            m for m in mentions if m.target_kind != "none" and not m.private_signals
        ]
    )


@receiver(mention_reply_drafting, dispatch_uid="status.mention_reply_drafting")
def incident_reply(sender, *, mention, link, automatic, **kwargs):
    """What is known and when the next update comes, for a mention pointed to
    an incident page."""
    incident = incident_of_target(path=mention.target_url)
    if incident is None:
        return ""
    return incident_reply_draft(
        incident=incident, mention=mention, link=link, automatic=automatic
    )

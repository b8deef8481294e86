"""Listens to social_redirect's signals (status depends on social_redirect,
never the reverse)."""

from django.dispatch import receiver

from social_redirect.signals import mention_reply_drafting, mention_triaged
from status.services import (
    incident_for_mention,
    incident_of_target,
    incident_reply_draft,
    mention_target_incident,
)


@receiver(mention_triaged, dispatch_uid="status.mention_triaged")
def mention_to_open_incident(sender, *, mention, **kwargs):
    """While an incident is open, a mention about it is answered with the
    incident page. Posts needing no answer and personal matters keep theirs;
    a complaint with no matching article (ticket form by default) is better
    answered with the incident page."""
    if mention.target_kind == "none" or mention.private_signals:
        return
    incident = incident_for_mention(mention=mention)
    if incident is not None:
        mention_target_incident(mention=mention, incident=incident)


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

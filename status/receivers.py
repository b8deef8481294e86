"""Listens to social_redirect's signals (status depends on social_redirect,
never the reverse)."""

from django.dispatch import receiver

from social_redirect.signals import mention_triaged
from status.services import incident_for_mention, mention_target_incident


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

"""What social_redirect does when other apps announce something."""

from django.dispatch import receiver

from social_redirect.services.links import link_ticket_opened
from support.signals import ticket_created


@receiver(ticket_created, dispatch_uid="social_redirect.ticket_opened_from_link")
def ticket_opened_from_link(sender, ticket, **kwargs):
    """Close a redirect link's funnel when its prefilled ticket is submitted."""
    context = ticket.context or {}
    code = context.get("link_code") if context.get("kind") == "mention" else None
    if isinstance(code, str):
        link_ticket_opened(code=code)

"""What the support app announces to the rest of the site.

``ticket_created``: sent once a ticket and its first message are committed,
with ``sender=Ticket`` and ``ticket=<Ticket>``. The ticket's ``context`` says
where the requester came from (a redirect link, a KB article); listeners such
as social_redirect read it there, so support never imports them.
"""

from django.dispatch import Signal

ticket_created = Signal()

"""Signals other apps listen to, so they depend on this app and never the
reverse."""

from django.dispatch import Signal

# Sent by services.mentions.mention_triage with ``mention=`` once the triage is
# saved and before its link is made; a receiver may change the target (the
# status app points mentions of an open incident to the incident page).
mention_triaged = Signal()

"""Signals other apps listen to, so they depend on this app and never the
reverse."""

from django.dispatch import Signal

# Sent by services.mentions.mention_triage with ``mention=`` once the triage is
# saved and before its link is made; a receiver may change the target (the
# status app points mentions of an open incident to the incident page).
mention_triaged = Signal()

# Sent by services.mentions.mention_reply with ``mention=``, ``link=`` and
# ``automatic=`` for a mention whose target is another app's page (an
# incident): the first receiver returning a text gives the reply draft.
mention_reply_drafting = Signal()

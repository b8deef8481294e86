"""Signals other apps listen to, so they depend on this app and never the
reverse."""

from django.dispatch import Signal

# Sent by services.mentions (mention_create, mentions_triage, a webhook
# delivery's chunk) with ``mentions=`` (a list) once their triages are saved
# and before their links are made; a receiver may change and save targets,
# the links then follow them (the status app points mentions of an open
# incident to the incident page). A list, so a burst is read once per chunk.
mentions_triaged = Signal()

# Sent by services.mentions.mention_reply with ``mention=``, ``link=`` and
# ``automatic=`` for a mention whose target is another app's page (an
# incident): the first receiver returning a text gives the reply draft.
mention_reply_drafting = Signal()

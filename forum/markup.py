"""Machina's markup renderer (``MACHINA_MARKUP_LANGUAGE``).

Machina stores each post's rendered HTML at save time; routing it through the
shared policy means what the topic page prints is already allow-listed HTML.
"""

from config.sanitize import markdown_to_html


def render_post(text):
    return markdown_to_html(text)

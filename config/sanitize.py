"""One sanitizing policy for every text users write (articles, posts, tickets).

Markdown is rendered, then cleaned with a strict bleach allow-list at *write*
time, so what is stored is already safe HTML.
"""

from html import unescape as html_unescape

import bleach
import markdown as md

ALLOWED_TAGS = [
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "dd",
    "del",
    "div",
    "dl",
    "dt",
    "em",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "s",
    "span",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
]
ALLOWED_ATTRIBUTES = {
    "a": ["href", "title"],
    "abbr": ["title"],
    "img": ["src", "alt", "title", "width", "height"],
    "td": ["colspan", "rowspan"],
    "th": ["colspan", "rowspan", "scope"],
    "div": ["class"],
    "span": ["class"],
    "code": ["class"],
    "pre": ["class"],
    "ol": ["start"],
}
# No javascript:, data:, vbscript: … only these.
ALLOWED_PROTOCOLS = ["http", "https", "mailto"]

_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
)


def _linkify_callback(attrs, new=False):
    attrs[(None, "rel")] = "nofollow ugc noopener"
    return attrs


def clean_html(html):
    """Strict allow-list cleaning of an HTML fragment."""
    cleaned = _cleaner.clean(html or "")
    return bleach.linkify(
        cleaned,
        callbacks=[_linkify_callback],
        skip_tags=["pre", "code"],
        parse_email=False,
    )


def markdown_to_html(text):
    """Member Markdown to clean HTML; raw HTML in it goes through the allow-list."""
    renderer = md.Markdown(extensions=["extra", "sane_lists"], output_format="html")
    return clean_html(renderer.convert(text or ""))


def plain_text(html):
    """Visible text of an HTML fragment (for search indexing, snippets, e-mails).

    Text, not HTML: bleach leaves ``&gt;`` and ``&quot;`` escaped, and whoever
    shows this text escapes it again (templates, snippets), so it is unescaped
    here, once, where the HTML is left behind.
    """
    return html_unescape(bleach.clean(html or "", tags=[], strip=True))

"""One sanitizing policy for every text users write (articles, posts, tickets).

Markdown is rendered, then cleaned with a strict allow-list at *write* time, so
what is stored is already safe HTML. The cleaning is nh3 (the maintained
ammonia sanitizer; bleach is no longer maintained) plus our own URL filter;
bleach only still turns bare URLs into links.
"""

import re
from html import unescape as html_unescape

import bleach
import markdown as md
import nh3

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
URL_ATTRIBUTES = {"href", "src"}

# Browsers ignore spaces and control characters inside a scheme
# ("jav&#x09;ascript:"), so the check runs on the URL without them.
_INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f\u00ad\u200b-\u200f\u2028\u2029\ufeff]")
_SCHEME = re.compile(r"^([^/?#]*?):")


def safe_url(value):
    """``value`` when it is a same-site path or an allowed scheme, else None."""
    compact = _INVISIBLE.sub("", value).lower()
    # "//host" and "/\host" (browsers read a backslash as "/") leave the site.
    if compact[:2] in ("//", "/\\", "\\\\", "\\/"):
        return None
    scheme = _SCHEME.match(compact)
    if scheme and scheme.group(1) not in ALLOWED_PROTOCOLS:
        return None
    return value


def _url_filter(tag, attribute, value):
    if attribute in URL_ATTRIBUTES:
        return safe_url(value)
    return value


_cleaner = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    # Script and style text is code, never content worth keeping.
    clean_content_tags={"script", "style"},
    attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
    attribute_filter=_url_filter,
    url_schemes=set(ALLOWED_PROTOCOLS),
    strip_comments=True,
    # linkify below sets rel on every link, existing and new.
    link_rel=None,
)
_text_only = nh3.Cleaner(tags=set(), clean_content_tags={"script", "style"})


def _linkify_callback(attrs, new=False):
    attrs[(None, "rel")] = "nofollow ugc noopener"
    return attrs


_SKIPPED = re.compile(r"(<(pre|code)\b[^>]*>)(.*?)(</\2>)", re.DOTALL)
_TAG_OR_AMP = re.compile(r"(<[^>]*>)|&amp;")


def _unescape_once(match):
    # bleach.linkify escapes the text of skip_tags a second time
    # ("&lt;" → "&amp;lt;", shown to readers as "&lt;"); undo exactly that.
    # Only "&amp;" → "&": the result can hold an entity, never a "<".
    inner = _TAG_OR_AMP.sub(lambda m: m.group(1) or "&", match.group(3))
    return match.group(1) + inner + match.group(4)


def clean_html(html):
    """Strict allow-list cleaning of an HTML fragment."""
    cleaned = _cleaner.clean(html or "")
    linked = bleach.linkify(
        cleaned,
        callbacks=[_linkify_callback],
        skip_tags=["pre", "code"],
        parse_email=False,
    )
    return _SKIPPED.sub(_unescape_once, linked)


def markdown_to_html(text):
    """Member Markdown to clean HTML; raw HTML in it goes through the allow-list."""
    renderer = md.Markdown(extensions=["extra", "sane_lists"], output_format="html")
    return clean_html(renderer.convert(text or ""))


def plain_text(html):
    """Visible text of an HTML fragment (for search indexing, snippets, e-mails).

    Text, not HTML: the sanitizer leaves ``&gt;`` and ``&quot;`` escaped, and whoever
    shows this text escapes it again (templates, snippets), so it is unescaped
    here, once, where the HTML is left behind.
    """
    return html_unescape(_text_only.clean(html or ""))

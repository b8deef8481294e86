"""Every XSS payload of the shared corpus goes through the real edit view and
must come out inert on the public article page."""

import re
from html.parser import HTMLParser

import pytest
from django.core.cache import cache

from config.sanitize import clean_html, markdown_to_html
from tests.kb.helpers import edit_data

FORBIDDEN_TAGS = {
    "script", "iframe", "object", "svg", "style", "embed", "math", "base", "form",
    "meta", "link", "frame", "frameset", "applet", "input", "button", "textarea",
}  # fmt: skip
URL_ATTRIBUTES = {
    "href", "src", "action", "formaction", "xlink:href", "data", "background",
    "poster", "srcset", "lowsrc", "dynsrc", "cite",
}  # fmt: skip
BAD_SCHEMES = ("javascript:", "data:", "vbscript:", "livescript:")
# Protocol-relative URLs leave the site (browsers read a backslash as "/").
OFF_SITE = ("//", "/\\", "\\\\", "\\/")
CHUNK = 40


class _Inspector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []

    def handle_starttag(self, tag, attrs):
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"{tag} {name}=")
            if name == "style":
                self.problems.append(f"{tag} style=")
            if name in URL_ATTRIBUTES and value:
                # HTMLParser already decoded the entities, as a browser does.
                url = re.sub(r"[\s\x00-\x1f]", "", value).lower()
                if url.startswith(BAD_SCHEMES) or url.startswith(OFF_SITE):
                    self.problems.append(f"{tag} {name}={value[:40]}")

    handle_startendtag = handle_starttag


def executable_markup(fragment):
    inspector = _Inspector()
    inspector.feed(fragment)
    inspector.close()
    if re.search(r"<\s*script", fragment, re.I):
        inspector.problems.append("<script")
    return inspector.problems


def article_body(page_html):
    start = page_html.index('id="article-body">')
    return page_html[start : page_html.index("<!-- /article-body -->")]


@pytest.fixture
def payloads(shared_dir):
    root = shared_dir / "data" / "xss"
    files = sorted(root.rglob("*.txt"))
    files = [f for f in files if not f.name.upper().startswith("LICENSE")]
    if not files:
        pytest.skip("no XSS corpus under ../shared/data/xss")
    lines = []
    for path in files:
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.strip():
                lines.append(line)
    return lines


def test_inspector_catches_executable_markup():
    assert executable_markup('<a href=" jav&#x09;ascript:alert(1)">x</a>')
    assert executable_markup("<img src=x onerror=alert(1)>")
    assert executable_markup("<svg><g/></svg>")
    assert executable_markup('<a href="//evil.example/x">x</a>')
    assert executable_markup('<img src=" /\\evil.example/x.png">')
    assert not executable_markup("<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>")


def test_each_payload_alone_is_sanitized(payloads):
    for payload in payloads:
        assert executable_markup(markdown_to_html(payload)) == [], payload
        # Stored HTML that skipped Markdown (imports, tickets) too.
        assert executable_markup(clean_html(payload)) == [], payload


@pytest.mark.parametrize(
    "payload",
    [
        '<a href="java\tscript:alert(1)">x</a>',
        '<a href="jav&#x09;ascript:alert(1)">x</a>',
        '<a href="jav&#x0A;ascript:alert(1)">x</a>',
        '<a href="jav&#x01;ascript:alert(1)">x</a>',
        '<a href=" &#x0D;javascript:alert(1)">x</a>',
        '<a href="javascript&#x00;:alert(1)">x</a>',
        '<a href="JaVaScRiPt:alert(1)">x</a>',
        '<a href="vbscript:msgbox(1)">x</a>',
        '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
        '<img src="data:image/svg+xml,&lt;svg onload=alert(1)&gt;">',
        "[x](java\tscript:alert(1))",
        '<a href="//evil.example/phish">x</a>',
        '<a href="/\\evil.example/phish">x</a>',
        '<a href=" \t//evil.example">x</a>',
        '<img src="//evil.example/track.png">',
        '<img src="/\\evil.example/track.png">',
        "[x](//evil.example/phish)",
        "![x](//evil.example/track.png)",
    ],
)
def test_hidden_scripts_and_off_site_urls_lose_their_url(payload):
    html = markdown_to_html(payload)
    assert executable_markup(html) == [], html
    assert "href=" not in html and "src=" not in html, html


def test_same_site_and_web_links_are_kept():
    html = markdown_to_html(
        "[kb](/fr/kb/) [top](#top) [web](https://example.org/a?b=1&c=2) "
        "[mail](mailto:aide@example.org) ![logo](/media/logo.png)"
    )
    assert 'href="/fr/kb/"' in html
    assert 'href="#top"' in html
    assert 'href="https://example.org/a?b=1&amp;c=2"' in html
    assert 'href="mailto:aide@example.org"' in html
    assert 'src="/media/logo.png"' in html
    assert html.count('rel="nofollow ugc noopener"') == 4


@pytest.mark.slow
def test_xss_corpus_is_inert_through_the_edit_view(kb, client, trusted, payloads):

    page = kb.article_fr
    client.force_login(trusted)
    baseline_scripts = client.get(page.url).content.decode().count("<script")
    for start in range(0, len(payloads), CHUNK):
        chunk = payloads[start : start + CHUNK]
        # The corpus is far more than the edit rate limit allows a person.
        cache.clear()
        response = client.post(
            page.url + "edit/",
            edit_data(
                page,
                body="\n\n".join(chunk),
                summary=chunk[0][:400],
                symptoms="\n".join(chunk[:5]),
                edit_summary=f"xss {start}",
            ),
        )
        assert response.status_code == 302, chunk
        client.logout()
        public = client.get(page.url).content.decode()
        client.force_login(trusted)
        problems = executable_markup(article_body(public))
        assert problems == [], (problems, chunk)
        assert public.count("<script") == baseline_scripts, chunk
    diff = client.get(page.url + "diff/").content.decode()
    assert diff.count("<script") == baseline_scripts


def test_code_is_shown_exactly_as_typed():
    html = markdown_to_html("```\n<x> & y &lt;\n```\n\nsee `a && b` on entraide.fr")
    assert "<pre><code>&lt;x&gt; &amp; y &amp;lt;\n</code></pre>" in html
    assert "<code>a &amp;&amp; b</code>" in html
    assert '<a href="http://entraide.fr" rel="nofollow ugc noopener">' in html

"""Every XSS payload of the shared corpus goes through the real edit view and
must come out inert on the public article page."""

import re
from html.parser import HTMLParser

import pytest
from django.core.cache import cache

from config.sanitize import markdown_to_html
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
                if url.startswith(BAD_SCHEMES):
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
    assert not executable_markup("<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>")


def test_each_payload_alone_is_sanitized(payloads):
    for payload in payloads:
        assert executable_markup(markdown_to_html(payload)) == [], payload


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

"""List pages run a fixed number of queries, however many rows they show.

Each test measures a page with N rows, triples the rows and checks that the
page still fits in the count measured for N.
"""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts import roles
from kb.services.editing import article_edit_submit
from kb.services.structure import category_upsert
from tests.factories import user_with_role
from tests.kb.factories import make_article, make_category
from tests.kb.helpers import fresh


def _queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context), response.content.decode()


def _add_categories(count, start):
    for n in range(start, start + count):
        category = make_category("fr", f"Rubrique {n}", f"rubrique-{n}")
        # A nested category: its articles count for the top-level one.
        nested, _status = category_upsert(
            parent=category, title=f"Sous-rubrique {n}", slug=f"sous-rubrique-{n}"
        )
        make_article(category, f"Article {n} a", slug=f"article-{n}-a")
        make_article(nested, f"Article {n} b", slug=f"article-{n}-b")


def test_kb_index_queries_do_not_grow_with_categories(
    kb, client, member, django_assert_max_num_queries
):
    # Signed in: the anonymous page cache would hide the queries.
    client.force_login(member)
    _add_categories(2, start=1)
    client.get("/fr/kb/")  # one-off lookups (site root paths…) out of the way
    few, html = _queries(client, "/fr/kb/")
    assert "Article 2 b" in html
    _add_categories(4, start=3)
    with django_assert_max_num_queries(few):
        html = client.get("/fr/kb/").content.decode()
    # Each category still lists its articles, nested ones included.
    assert "Rubrique 6" in html and "Article 6 a" in html and "Article 6 b" in html


def test_kb_index_lists_the_first_articles_and_counts_the_rest(kb, client, member):
    client.force_login(member)
    category = make_category("fr", "Beaucoup", "beaucoup")
    for n in range(10):
        make_article(category, f"Sujet {n:02d}", slug=f"sujet-{n}")
    html = client.get("/fr/kb/").content.decode()
    assert "Sujet 07" in html and "Sujet 08" not in html
    assert "Voir les 10 articles" in html


def _pending_edits(page, count):
    for n in range(count):
        author = user_with_role()
        article_edit_submit(
            page=fresh(page),
            user=author,
            title=page.title,
            summary=fresh(page).summary,
            body_markdown=f"Proposition {n}\n",
            edit_summary=f"proposition {n}",
            base_revision_id=fresh(page).live_revision_id,
        )


def test_review_queue_queries_do_not_grow_with_pending_edits(
    kb, client, trusted, django_assert_max_num_queries
):
    client.force_login(trusted)
    _pending_edits(kb.article_fr, 2)
    client.get("/fr/kb/review/")
    few, _html = _queries(client, "/fr/kb/review/")
    _pending_edits(kb.article_fr, 4)
    with django_assert_max_num_queries(few):
        html = client.get("/fr/kb/review/").content.decode()
    assert len(set(re.findall(r'href="/fr/kb/review/(\d+)/"', html))) == 6


def _published_edits(page, count):
    for n in range(count):
        author = user_with_role(roles.TRUSTED_MEMBERS)
        article_edit_submit(
            page=fresh(page),
            user=author,
            title=page.title,
            summary=fresh(page).summary,
            body_markdown=f"Version {n}\n",
            edit_summary=f"version {n}",
            base_revision_id=fresh(page).live_revision_id,
        )
    return author


def test_history_queries_do_not_grow_with_revisions(
    kb, client, trusted, django_assert_max_num_queries
):
    url = kb.article_fr.url + "history/"
    client.force_login(trusted)
    _published_edits(kb.article_fr, 2)
    client.get(url)
    few, _html = _queries(client, url)
    last_author = _published_edits(kb.article_fr, 4)
    with django_assert_max_num_queries(few):
        html = client.get(url).content.decode()
    assert html.count('<tr id="rev-') == 7  # the import and six edits
    assert last_author.profile.public_name in html

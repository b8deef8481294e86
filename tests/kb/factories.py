"""Build a small bilingual knowledge base fast, through the real services."""

from types import SimpleNamespace

from wagtail.models import Page

from kb.services.common import locale_for
from kb.services.structure import category_upsert, kb_root, kb_structure_ensure
from kb.services.upsert import article_upsert


def page_tree_ensure() -> None:
    """The knowledge-base roots, in a database a transactional test flushed.

    The flush drops the root page Wagtail's migration created (post_migrate
    gives back groups and permissions, not pages): plant it again first.
    """
    if Page.get_first_root_node() is None:
        Page.add_root(instance=Page(title="Root", slug="root", locale=locale_for("fr")))
    kb_structure_ensure()


ARTICLE_FR = """## Vérifier les voyants

Regardez le voyant **Internet** de la box.

## Redémarrer la box

1. Débranchez la box.
2. Attendez dix secondes.
3. Rebranchez-la.

## Si rien ne change

Contactez le support.
"""

ARTICLE_EN = """## Check the lights

Look at the **Internet** light on the box.

## Restart the box

1. Unplug the box.
2. Wait ten seconds.
3. Plug it back in.

## If nothing changes

Contact support.
"""


def make_category(lang, title, slug, translation_of=None):
    page, _status = category_upsert(
        parent=kb_root(lang),
        title=title,
        slug=slug,
        translation_of=translation_of,
    )
    return page


def make_article(
    category, title, slug=None, body=ARTICLE_FR, translation_of=None, **kwargs
):
    kwargs.setdefault("summary", f"Résumé de {title}")
    page, _status = article_upsert(
        parent=category,
        title=title,
        slug=slug,
        body_markdown=body,
        translation_of=translation_of,
        **kwargs,
    )
    return page


def build_kb_tree():
    """Two categories per language and a linked FR/EN article pair."""
    cat_fr = make_category("fr", "Connexion", "connexion")
    cat_en = make_category("en", "Connection", "connection", translation_of=cat_fr)
    article_fr = make_article(
        cat_fr,
        "Ma box clignote",
        slug="box-clignote",
        tags=["box", "voyant"],
        symptoms="ma box clignote\nplus d'internet",
    )
    article_en = make_article(
        cat_en,
        "My box is blinking",
        slug="box-blinking",
        body=ARTICLE_EN,
        summary="What the blinking lights mean and how to fix it.",
        translation_of=article_fr,
        tags=["box"],
    )
    other_fr = make_article(
        cat_fr,
        "Connexion lente",
        slug="connexion-lente",
        body="Testez le débit.\n",
        tags=["box"],
    )
    return SimpleNamespace(
        root_fr=kb_root("fr"),
        root_en=kb_root("en"),
        cat_fr=cat_fr,
        cat_en=cat_en,
        article_fr=article_fr,
        article_en=article_en,
        other_fr=other_fr,
    )

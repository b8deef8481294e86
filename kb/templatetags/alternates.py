"""The same page in the other languages, for ``hreflang`` links and the switcher.

A Wagtail page (article, category, KB root) has its own translation with its
own slug, so Django's ``translate_url`` (same path, other prefix) would lead to
a 404: it is used only for Django's routes, whose paths match across languages.
"""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language
from wagtail.models import Page

register = template.Library()


def _home(lang):
    return f"/{lang}/"


def _page_alternates(page, current):
    found = {
        other.locale.language_code: other.url
        for other in page.get_translations(inclusive=False)
        .live()
        .public()
        .select_related("locale")
    }
    found[current] = page.url
    return found


@register.simple_tag(takes_context=True)
def language_alternates(context):
    """``[{code, name, url, exists, current}]`` for every site language.

    ``exists`` is False where the page has no translation: ``url`` is then the
    home page of that language and the switcher says so.
    """
    request = context.get("request")
    if request is None:
        return []
    current = get_language()
    page = context.get("page")
    path = request.get_full_path()
    urls = {}
    if isinstance(page, Page) and page.pk and page.url:
        urls = _page_alternates(page, current)
    else:
        for code, _name in settings.LANGUAGES:
            translated = translate_url(path, code)
            if translated != path or code == current:
                urls[code] = translated
    return [
        {
            "code": code,
            "name": name,
            "url": urls.get(code) or _home(code),
            "exists": code in urls,
            "current": code == current,
        }
        for code, name in settings.LANGUAGES
    ]

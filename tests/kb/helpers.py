from wagtail.models import Revision

from kb.models import ArticlePage


def edit_url(page):
    return page.url + "edit/"


def fresh(page):
    return ArticlePage.objects.get(pk=page.pk)


def edit_data(page, **overrides):
    page = fresh(page)
    data = {
        "title": page.title,
        "summary": page.summary,
        "body": page.body_markdown(),
        "symptoms": page.symptoms,
        "edit_summary": "typo",
        "base_revision": page.live_revision_id or "",
    }
    data.update(overrides)
    return data


def post_edit(client, page, **overrides):
    return client.post(edit_url(page), edit_data(page, **overrides))


def latest_revision(page):
    return (
        Revision.page_revisions.filter(object_id=str(page.pk)).order_by("-pk").first()
    )

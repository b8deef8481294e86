"""Atom feed of incident updates, one per language (/<lang>/status/feed/)."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from status.models import Incident, IncidentUpdate


class IncidentUpdatesFeed(Feed):
    feed_type = Atom1Feed

    def __call__(self, request, *args, **kwargs):
        self.lang = (get_language() or "fr")[:2]
        return super().__call__(request, *args, **kwargs)

    def title(self):
        return _("Service status: incidents and maintenance")

    def link(self):
        return reverse("status:status")

    def subtitle(self):
        return _("Every incident update, newest first.")

    def items(self):
        return IncidentUpdate.objects.select_related("incident").order_by(
            "-created_at"
        )[:50]

    def item_title(self, item):
        title, _lang = item.incident.title_in(self.lang)
        return f"{title} — {Incident.Status(item.status).label}"

    def item_description(self, item):
        body, body_lang = item.body_in(self.lang)
        if body and body_lang != self.lang:
            return f"{body}\n\n({_('Not yet translated.')})"
        return body

    def item_link(self, item):
        return (
            reverse("status:incident", args=[item.incident_id]) + f"#update-{item.pk}"
        )

    def item_guid(self, item):
        return f"status-update-{item.pk}-{self.lang}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.created_at

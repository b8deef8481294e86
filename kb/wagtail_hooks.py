"""Wagtail admin shortcuts to the public KB review tools."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from kb import selectors


class _KbMenuItem(MenuItem):
    def __init__(self, label, url_name, check, **kwargs):
        self._url_name = url_name
        self._check = check
        super().__init__(label, "#", **kwargs)

    def is_shown(self, request):
        return self._check(request.user)

    def render_component(self, request):
        # Resolved per request: the public pages are language-prefixed.
        self.url = reverse(self._url_name)
        return super().render_component(request)


@hooks.register("register_admin_menu_item")
def kb_review_menu_item():
    return _KbMenuItem(
        _("KB review queue"),
        "kb:review",
        selectors.can_review,
        icon_name="tasks",
        order=250,
    )


@hooks.register("register_admin_menu_item")
def kb_stats_menu_item():
    return _KbMenuItem(
        _("KB helpfulness"),
        "kb:stats",
        selectors.can_see_stats,
        icon_name="help",
        order=251,
    )

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from search.models import SynonymGroup


class SynonymGroupViewSet(SnippetViewSet):
    model = SynonymGroup
    icon = "search"
    menu_label = _("Synonyms")
    add_to_admin_menu = True
    list_display = ["terms", "lang", "active"]
    list_filter = ["lang", "active"]


register_snippet(SynonymGroupViewSet)

"""Admin wiring: glossary terms as a snippet with revisions, listed A-Z and searchable."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Term


class TermViewSet(SnippetViewSet):
    model = Term
    icon = "help"
    menu_label = _("Glossary")
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["term", "expansion", "slug", "case_sensitive"]
    list_filter = ["case_sensitive"]
    search_fields = ["term", "expansion", "variants"]
    ordering = ["term"]


register_snippet(TermViewSet)

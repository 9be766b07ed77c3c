"""Admin wiring: glossary terms as a snippet with revisions, listed A-Z and searchable."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import CreateView, SnippetViewSet

from .models import Term

# The longest acronym a "Define in the glossary" link may prefill (a term is at most 100 characters).
PREFILL_MAX_LENGTH = 100


class TermCreateView(CreateView):
    """The new-term form, with `?term=EHR` filled in: plain language's "Define" links open it."""

    def get_initial(self) -> dict:
        initial = super().get_initial()
        term = " ".join(self.request.GET.get("term", "").split())[:PREFILL_MAX_LENGTH]
        if term and self.request.method == "GET":
            initial["term"] = term
        return initial


class TermViewSet(SnippetViewSet):
    model = Term
    icon = "help"
    add_view_class = TermCreateView
    menu_label = _("Glossary")
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["term", "expansion", "slug", "case_sensitive"]
    list_filter = ["case_sensitive"]
    search_fields = ["term", "expansion", "variants"]
    ordering = ["term"]


register_snippet(TermViewSet)

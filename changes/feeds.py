"""RSS of the changes, newest first: what the hospital changed because of what readers said."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.text import xml_text

from .citations import ShownChange, shown_changes
from .models import Change

ITEMS = 50


class ChangesFeed(Feed):
    title = _("Rounds: what we changed")
    description = _("Changes the hospital made after listening to readers.")

    def link(self) -> str:
        return settings.BASE_URL + reverse("changes:index")

    def items(self) -> list[ShownChange]:
        newest = Change.objects.in_language(get_language()).newest().values_list("pk", flat=True)[:ITEMS]
        return shown_changes(Change.objects.filter(pk__in=list(newest)).newest())

    def item_title(self, item: ShownChange) -> str:
        return escape(xml_text(item.change.title))

    def item_description(self, item: ShownChange) -> str:
        change = item.change
        lines = [
            escape(xml_text(change.description)),
            escape(
                _("%(department)s, %(date)s")
                % {"department": xml_text(change.department), "date": change.date.isoformat()}
            ),
        ]
        for citation in item.citations:
            link = escape(settings.BASE_URL + citation.url)
            name, text = escape(xml_text(citation.name)), escape(xml_text(citation.excerpt))
            lines.append(f'<a href="{link}">{name}</a>: “{text}”')
        return "<br>".join(line for line in lines if line)

    def item_link(self, item: ShownChange) -> str:
        return settings.BASE_URL + item.change.get_absolute_url()

    def item_guid(self, item: ShownChange) -> str:
        return f"{settings.BASE_URL}{reverse('changes:index')}#change-{item.change.pk}"

    def item_pubdate(self, item: ShownChange):
        return item.change.created_at

    def item_categories(self, item: ShownChange) -> list[str]:
        return [xml_text(item.change.topic.name)]

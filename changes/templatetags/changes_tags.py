"""The post's "What changed" section, which the post template includes above the discussion.

Blog and comments know nothing of changes: the post template (templates/pages/blog_page.html)
calls this tag, and the section carries the data (`data-cites-comment`) from which
changes/static/changes/cited.js adds a "led to a change" link to each cited comment.
"""

from django import template

from ..citations import feedback_for_post, preview_item, shown_changes
from ..models import Change

register = template.Library()

# A post shows its newest changes; /changes/ has them all (a page stays light whatever happens).
ON_A_POST = 5


@register.inclusion_tag("changes/includes/what_changed.html")
def what_changed(page) -> dict:
    """The changes `page` prompted (cited directly or through its comments), newest first, and
    where the feedback on its comments stands. Nothing at all when there is neither."""
    if page.pk is None:  # a preview of a post never saved
        return {"shown": [], "feedback": []}
    prompted = Change.objects.for_post(page)
    newest = list(prompted.newest().values_list("pk", flat=True)[: ON_A_POST + 1])
    more = prompted.count() - ON_A_POST if len(newest) > ON_A_POST else 0
    return {
        "page": page,
        "shown": shown_changes(Change.objects.filter(pk__in=newest[:ON_A_POST]).newest()),
        "more": more,
        "feedback": feedback_for_post(page, limit=ON_A_POST * 2),
    }


@register.inclusion_tag("changes/includes/change.html")
def change_preview(change) -> dict:
    """A change as readers will see it, from the editor's unsaved form (its rows are in memory)."""
    return {"item": preview_item(change), "heading_level": 2}

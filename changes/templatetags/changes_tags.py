"""The post's "What changed" section, which the post template includes above the discussion.

Blog and comments know nothing of changes: the post template (templates/pages/blog_page.html)
calls this tag, and the section carries the data (`data-cites-comment`) from which
changes/static/changes/cited.js adds a "led to a change" link to each cited comment.
"""

from django import template

from ..citations import feedback_for_post, preview_item, shown_changes
from ..models import Change

register = template.Library()


@register.inclusion_tag("changes/includes/what_changed.html")
def what_changed(page) -> dict:
    """The changes `page` prompted (cited directly or through its comments), newest first, and
    where the feedback on its comments stands. Nothing at all when there is neither."""
    if page.pk is None:  # a preview of a post never saved
        return {"shown": [], "feedback": []}
    return {
        "page": page,
        "shown": shown_changes(Change.objects.for_post(page).newest()),
        "feedback": [item for item in feedback_for_post(page) if item.status != "changed"],
    }


@register.inclusion_tag("changes/includes/change.html")
def change_preview(change) -> dict:
    """A change as readers will see it, from the editor's unsaved form (its rows are in memory)."""
    return {"item": preview_item(change), "heading_level": 2}

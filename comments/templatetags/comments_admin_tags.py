"""Template tags of the moderation admin: durations as a moderator reads them, and the queue's
section of Wagtail's keyboard-shortcuts dialog."""

import datetime

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import ngettext

from ..queue import SHORTCUTS_ATTRIBUTE

register = template.Library()


@register.filter
def duration(span: datetime.timedelta | None) -> str:
    """ "3 hours", "2 days": one unit, rounded down, which is what a glance needs."""
    if span is None:
        return ""
    minutes = int(span.total_seconds() // 60)
    if minutes < 60:
        return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}
    hours = minutes // 60
    if hours < 48:
        return ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours}
    days = hours // 24
    return ngettext("%(n)d day", "%(n)d days", days) % {"n": days}


@register.simple_tag(takes_context=True)
def comment_queue_shortcuts(context: template.Context) -> SafeString | str:
    """The queue's rows in Wagtail's shortcuts dialog, on the queue's pages only.

    Wagtail 8 builds the dialog's list inside its `keyboard_shortcuts_dialog` tag with no hook to
    add to it; the template has a `shortcuts` block, which our override of the template extends
    with this tag. The tag's context is reset by Wagtail's inclusion tag, but keeps the request.
    """
    request = getattr(context, "request", None)
    shortcuts = getattr(request, SHORTCUTS_ATTRIBUTE, None)
    if not shortcuts:
        return ""
    return render_to_string("comments/admin/shortcuts.html", {"shortcuts": shortcuts})

"""The queue's bulk actions on Wagtail's bulk-action framework: select rows, pick an action in the
footer, confirm on Wagtail's confirmation page (rejecting asks for the reason there). The classes
are made from the table of moderation actions (actions.py: every entry with a question), so each
comment goes through the same precondition and moderation.py step as a single decision, and each
is audit-logged. Registered in wagtail_hooks.py."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from wagtail.admin.views.bulk_action import BulkAction

from .actions import Action
from .admin_views import listing_ids
from .models import Comment, Moderation, RejectReason

__all__ = ["ModerationBulkAction", "bulk_action_class", "bulk_action_classes"]

PERMISSION = "django_comments.can_moderate"


class RejectReasonForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why are they rejected?"), choices=RejectReason.choices, widget=forms.RadioSelect
    )


class ModerationBulkAction(BulkAction):
    template_name = "comments/admin/bulk_confirm.html"
    models = [Moderation]
    question = ""
    done_message = ngettext_lazy("%(count)d comment updated.", "%(count)d comments updated.", "count")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @classmethod
    def get_queryset(cls, model, object_ids):
        ids = [pk for pk in object_ids if str(pk).isascii() and str(pk).isdigit() and len(str(pk)) <= 9]
        return list(Moderation.objects.filter(pk__in=ids).select_related("comment"))

    def get_all_objects_in_listing_query(self, parent_id):
        # "Select all in listing" sends the queue's own parameters: the same tab, filters and
        # search, never every comment in the database (Wagtail's default here).
        return listing_ids(self.request)

    def object_context(self, obj: Moderation) -> dict:
        return {"item": obj}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        comments = Comment.objects.in_bulk([item["item"].pk for item in context["items"]])
        for item in context["items"]:
            item["comment"] = comments.get(item["item"].pk)
        context["question"] = self.question
        context["action_button_text"] = self.display_name
        return context

    def get_execution_context(self) -> dict:
        return {"user": self.request.user, "request": self.request, "form": self.cleaned_form}

    def get_success_message(self, num_parent_objects: int, num_child_objects: int) -> str:
        return self.done_message % {"count": num_parent_objects}


def bulk_action_class(action: Action, priority: int) -> type[ModerationBulkAction]:
    """Wagtail's bulk action for one entry of the table: its label, question and messages, its
    reason form when it asks why, and each row through the entry's own precondition and function."""

    def execute_action(cls, objects, user=None, request=None, form=None, **kwargs):
        reason = form.cleaned_data.get("reason", "") if form is not None else ""
        return sum(action.run(request, m, reason) for m in objects if action.applies(request, m)), 0

    attributes = {
        "display_name": action.bulk_label or action.label,
        "action_type": action.name,
        "aria_label": action.bulk_aria or action.label,
        "action_priority": priority,
        "question": action.question,
        "execute_action": classmethod(execute_action),
        "__module__": __name__,
    }
    if action.done_many:
        attributes["done_message"] = action.done_many
    if action.needs_reason:
        attributes["form_class"] = RejectReasonForm
    if action.serious:
        attributes["classes"] = {"serious"}
    name = "".join(part.title() for part in action.name.split("_")) + "BulkAction"
    return type(name, (ModerationBulkAction,), attributes)


def bulk_action_classes(table: list[Action]) -> list[type[ModerationBulkAction]]:
    """One class for each entry of the table that runs in bulk (`Action.is_bulk`), made once per
    name (Wagtail's registry keeps the first class of an action type)."""
    classes = []
    for number, action in enumerate(table, start=1):
        if action.is_bulk:
            if action.name not in _made:
                _made[action.name] = bulk_action_class(action, 10 * number)
            classes.append(_made[action.name])
    return classes


_made: dict[str, type[ModerationBulkAction]] = {}

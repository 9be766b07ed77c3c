"""The queue's bulk actions on Wagtail's bulk-action framework: select rows, pick an action in the
footer, confirm on Wagtail's confirmation page (rejecting asks for the reason there). Each comment
goes through the same moderation.py step as a single decision, so each is audit-logged.
Registered in wagtail_hooks.py."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from wagtail.admin.views.bulk_action import BulkAction

from . import moderation as moderate
from .admin_views import listing_ids
from .models import Comment, Discussion, Moderation, RejectReason

__all__ = ["ACTIONS", "ApproveBulkAction", "RejectBulkAction", "RouteBulkAction", "SpamBulkAction"]

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


class ApproveBulkAction(ModerationBulkAction):
    display_name = _("Approve")
    action_type = "approve"
    aria_label = _("Approve the selected comments")
    action_priority = 10
    question = _("Approve and publish these comments?")
    done_message = ngettext_lazy("%(count)d comment approved.", "%(count)d comments approved.", "count")

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        for moderation in objects:
            moderate.approve(moderation, user)
        return len(objects), 0


class RejectBulkAction(ModerationBulkAction):
    display_name = _("Reject")
    action_type = "reject"
    aria_label = _("Reject the selected comments")
    action_priority = 20
    form_class = RejectReasonForm
    question = _("Reject these comments?")
    done_message = ngettext_lazy("%(count)d comment rejected.", "%(count)d comments rejected.", "count")

    @classmethod
    def execute_action(cls, objects, user=None, form=None, **kwargs):
        for moderation in objects:
            moderate.reject(moderation, user, form.cleaned_data["reason"])
        return len(objects), 0


class SpamBulkAction(ModerationBulkAction):
    display_name = _("Spam")
    action_type = "spam"
    aria_label = _("Mark the selected comments as spam")
    action_priority = 30
    classes = {"serious"}
    question = _("Mark these comments as spam? They stay stored and are never shown.")
    done_message = ngettext_lazy(
        "%(count)d comment marked as spam.", "%(count)d comments marked as spam.", "count"
    )

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        for moderation in objects:
            moderate.mark_spam(moderation, user)
        return len(objects), 0


class RouteBulkAction(ModerationBulkAction):
    display_name = _("Send to Patient Relations")
    action_type = "route"
    aria_label = _("Send the selected comments to Patient Relations")
    action_priority = 40
    question = _("Send Patient Relations a link to each of these comments (never the text)?")
    done_message = ngettext_lazy(
        "%(count)d comment sent to Patient Relations.",
        "%(count)d comments sent to Patient Relations.",
        "count",
    )

    @classmethod
    def execute_action(cls, objects, user=None, request=None, **kwargs):
        discussion = Discussion.for_request(request)
        return sum(moderate.route_to_patient_relations(m, user, discussion) for m in objects), 0


ACTIONS = [ApproveBulkAction, RejectBulkAction, SpamBulkAction, RouteBulkAction]

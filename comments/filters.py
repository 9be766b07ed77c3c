"""The moderation queue's filters, shown in Wagtail's own filter drawer (django-filters through
WagtailFilterSet). The status itself is applied by the view (a bad value elsewhere in the form
must never mix the tabs together); its field here only shows and keeps it."""

import django_filters
from django import forms
from django.conf import settings
from django.db.models import CharField
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.widgets import AdminPageChooser

from blog.models import BlogPage

from .models import Moderation, ModerationQuerySet
from .visibility import unanswered_questions

__all__ = ["TABS", "QueueFilterSet", "for_tab"]

# The queue's tabs, in order: (status parameter, label). "reported" crosses the statuses.
TABS = [
    ("waiting", _("Waiting")),
    ("reported", _("Reported")),
    ("unanswered", _("Unanswered questions")),
    ("published", _("Published")),
    ("rejected", _("Rejected")),
    ("spam", _("Spam")),
    ("all", _("All")),
]


def for_tab(moderations: ModerationQuerySet, tab: str) -> ModerationQuerySet:
    """The rows of one tab ("all": every status, as a commenter's history link needs;
    "unanswered": published questions without a shown official answer, visibility's rule)."""
    if tab == "all":
        return moderations
    if tab == "unanswered":
        return unanswered_questions(moderations)
    return moderations.with_status(tab)


def _is_post_key(value) -> bool:
    """A key the database can hold: digits only, short enough for an integer."""
    return str(value).isascii() and str(value).isdigit() and len(str(value)) <= 9


class PostChooser(AdminPageChooser):
    def get_instance(self, value):
        # The form shows back what was sent: a bad key shows as no post chosen, never a 500.
        if value is not None and not isinstance(value, BlogPage) and not _is_post_key(value):
            return None
        return super().get_instance(value)


class PostChoiceField(forms.ModelChoiceField):
    def to_python(self, value):
        # A key the database cannot hold (too long for an integer) is an invalid choice, not a 500.
        if value not in self.empty_values and not _is_post_key(value):
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)

    def label_from_instance(self, obj: BlogPage) -> str:
        return obj.title


class PostFilter(django_filters.ModelChoiceFilter):
    field_class = PostChoiceField

    def __init__(self, *args, **kwargs):
        # Wagtail's page chooser, not a <select>: with 10,000 posts the options alone took 20 s
        # to render on every queue page (bench/scale.py).
        kwargs.setdefault("widget", PostChooser(target_models=[BlogPage]))
        super().__init__(*args, **kwargs)


class QueueFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=TABS, empty_label=None, method="keep", widget=forms.RadioSelect
    )
    post = PostFilter(
        label=_("Post"),
        queryset=BlogPage.objects.order_by("title").only("pk", "title"),
        method="filter_post",
        empty_label=_("All posts"),
    )
    submitted = django_filters.DateFromToRangeFilter(
        label=_("Submitted"), field_name="comment__submit_date", widget=DateRangePickerWidget
    )
    email = django_filters.CharFilter(label=_("Commenter's email"), method="filter_email", max_length=254)
    # A comment is in the language of the post version it was written on.
    language = django_filters.ChoiceFilter(
        label=_("Language"),
        choices=settings.LANGUAGES,
        method="filter_language",
        empty_label=_("All languages"),
    )

    class Meta:
        model = Moderation
        fields = []

    def keep(self, queryset: ModerationQuerySet, name: str, value: str) -> ModerationQuerySet:
        return queryset  # applied by the view, so that an invalid form still keeps its tab

    def filter_post(self, queryset: ModerationQuerySet, name: str, value: BlogPage) -> ModerationQuerySet:
        # django-contrib-comments stores the target's key as text.
        return queryset.filter(comment__object_pk=str(value.pk))

    def filter_language(self, queryset: ModerationQuerySet, name: str, value: str) -> ModerationQuerySet:
        posts = BlogPage.objects.filter(locale__language_code=value).annotate(key=Cast("pk", CharField()))
        return queryset.filter(comment__object_pk__in=posts.values("key"))

    def filter_email(self, queryset: ModerationQuerySet, name: str, value: str) -> ModerationQuerySet:
        return queryset.filter(comment__user_email__iexact=value.strip())

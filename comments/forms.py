"""The reader's comment form: django-contrib-comments' fields, timestamp, security hash and
honeypot, with xtd's `reply_to`, validated so bad input is a form error and never a 500."""

from django import forms
from django.conf import settings
from django.forms import BoundField
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_comments.forms import COMMENT_MAX_LENGTH
from django_comments.forms import CommentForm as ContribCommentForm

from .models import Comment
from .visibility import in_discussion

__all__ = ["CommentForm", "ModeratorEditForm", "StaffReplyForm"]

NAME_LENGTH = 50  # django_comments' user_name column


class CommentForm(ContribCommentForm):
    """What the reader fills in. comments/includes/form.html renders every field from here, so
    lengths, labels, autocomplete hints and ids are written once."""

    # The placeholder standing for the parent's id in the ids of the inline reply form (as
    # "__prefix__" does in a formset's empty form): comments.js puts the parent's id in its place.
    INLINE_REPLY_PLACEHOLDER = "__parent__"

    name = forms.CharField(
        label=_("Name (optional, shown with your comment)"),
        max_length=NAME_LENGTH,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Email (optional, never shown)"),
        max_length=254,  # django_comments' user_email column
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    # Comment ids are 32-bit (django_comments' AutoField): anything larger is a form error, not an
    # overflow in the database driver.
    reply_to = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=2**31 - 1,
        initial=0,
        widget=forms.HiddenInput(attrs={"data-reply-to": ""}),
    )
    followup = forms.BooleanField(
        required=False,
        label=_("Email me when someone replies (we will ask you to confirm your address first)"),
    )
    # Read by views.post_comment into creation.judge (Moderation.wants_notices); the notices go
    # only to an address its owner proved (subscriptions/notices.py).
    notices = forms.BooleanField(
        required=False,
        label=_("Email me when my comment is published, highlighted or answered by staff"),
    )
    question = forms.BooleanField(required=False, label=_("This is a question for the hospital"))
    # The warning page's "Post it anyway" button (comments/warning.py): the writer saw the warning
    # about private health information and chose to post. Never rendered as an input.
    post_anyway = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, target_object, data=None, initial=None, *, is_open: bool = True, **kwargs):
        super().__init__(target_object, data=data, initial=initial, **kwargs)
        self.is_open = is_open
        # django_comments' own fields: its `comment` (3,000 characters, COMMENT_MAX_LENGTH), the
        # honeypot a person never reaches, and the website field, which this site never shows.
        self.fields["comment"].label = _("Comment")
        comment_attrs = self.fields["comment"].widget.attrs  # maxlength already set from the field
        comment_attrs.pop("cols", None)  # the stylesheet sizes it
        comment_attrs["rows"] = "6"
        self.fields["honeypot"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        self.fields["url"].widget = forms.HiddenInput()
        self.parent: Comment | None = None

    @classmethod
    def for_inline_reply(cls, target_object) -> "CommentForm":
        """An empty form whose ids hold INLINE_REPLY_PLACEHOLDER, for comments.js to copy under a
        comment (ids stay unique however many reply forms a reader opens)."""
        return cls(target_object, auto_id=f"reply-{cls.INLINE_REPLY_PLACEHOLDER}-%s")

    @property
    def text_fields(self) -> list[BoundField]:
        """The fields a reader types into, in the order the form shows them."""
        return [self[name] for name in ("comment", "name", "email")]

    @property
    def max_level(self) -> int:
        return settings.COMMENTS_XTD_MAX_THREAD_LEVEL

    def clean_reply_to(self) -> int:
        reply_to = self.cleaned_data.get("reply_to") or 0
        if not reply_to:
            return 0
        # Only what the discussion shows can be answered: not a reply under a removed comment.
        parent = in_discussion(Comment.objects.for_page(self.target_object)).filter(pk=reply_to).first()
        if parent is None:
            raise forms.ValidationError(_("The comment you are replying to is not available."))
        if parent.level >= self.max_level:
            raise forms.ValidationError(
                _("This conversation is nested as deep as it goes; reply to an earlier comment instead.")
            )
        self.parent = parent
        return reply_to

    def clean_followup(self) -> bool:
        return bool(self.cleaned_data.get("followup"))

    def clean_question(self) -> bool:
        question = bool(self.cleaned_data.get("question"))
        if question and not self.is_open:
            raise forms.ValidationError(
                _("Comments are closed on this post, so it cannot take a question. Your text is kept below.")
            )
        return question

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("followup") and not cleaned.get("email"):
            self.add_error("email", _("Give an email address to be told about replies."))
        if cleaned.get("notices") and not cleaned.get("email"):
            self.add_error("email", _("Give an email address to be told about your comment."))
        return cleaned

    def get_comment_model(self):
        return Comment

    def get_comment_create_data(self, site_id=None) -> dict:
        data = super().get_comment_create_data(site_id=site_id)
        data.update(
            parent_id=self.cleaned_data.get("reply_to") or 0,
            followup=self.cleaned_data.get("followup", False),
            user_email=(data["user_email"] or "").lower(),
        )
        return data

    def typed(self) -> dict:
        """What the reader typed, for re-rendering a form they must send again."""
        return {name: self.data.get(name, "") for name in ("comment", "name", "email", "reply_to")} | {
            "followup": bool(self.data.get("followup")),
            "notices": bool(self.data.get("notices")),
            "question": bool(self.data.get("question")),
        }


class StaffReplyForm(forms.Form):
    """A moderator's reply from the queue, checked for what a staff reply can get wrong: the text
    (the reader's length limit) and the comment it answers, which must still be in the discussion
    and not at the deepest level. No security hash, timestamp or honeypot: the admin's login and
    CSRF token are the proof here. `comment_object` builds the reply, signed with the account."""

    comment = forms.CharField(
        label=_("Your reply"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=COMMENT_MAX_LENGTH,  # the reader's limit, as django_comments reads it
    )

    def __init__(self, parent: Comment, data=None, **kwargs):
        super().__init__(data=data, **kwargs)
        self.parent = parent
        moderation = getattr(parent, "moderation", None)
        if moderation is not None and moderation.question:
            self.fields["official"] = forms.BooleanField(
                required=False, label=_("This is the official answer to the question")
            )

    def clean(self):
        cleaned = super().clean()
        page = self.parent.content_object
        if not in_discussion(Comment.objects.for_page(page)).filter(pk=self.parent.pk).exists():
            raise forms.ValidationError(_("The comment you are replying to is not available."))
        if self.parent.level >= settings.COMMENTS_XTD_MAX_THREAD_LEVEL:
            raise forms.ValidationError(_("This conversation is nested as deep as it goes."))
        return cleaned

    def comment_object(self, user) -> Comment:
        """The unsaved reply, under the moderator's name (cut to django_comments' column)."""
        parent = self.parent
        return Comment(
            content_type_id=parent.content_type_id,
            object_pk=parent.object_pk,
            site_id=settings.SITE_ID,
            user=user,
            user_name=(user.get_full_name() or user.get_username())[:NAME_LENGTH],
            user_email=(user.email or "").lower(),
            comment=self.cleaned_data["comment"],
            submit_date=timezone.now(),
            parent_id=parent.pk,
        )


class ModeratorEditForm(forms.Form):
    comment = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 10}), max_length=3000)
    redacted = forms.BooleanField(
        label=_("This is a redaction (private information removed)"), required=False
    )
    approve = forms.BooleanField(label=_("Approve after saving"), required=False)

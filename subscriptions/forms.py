"""The subscribe form and the preferences form.

The subscribe form sits in every public page's footer and under each post, pages the page cache
keeps for every anonymous reader: it carries no per-reader token. Like the comment form it has a
signed timestamp (made when the page was rendered, accepted for COMMENTS_TIMEOUT, longer than a page
stays cached) and a honeypot; the view refuses posts from another site's page.
"""

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _

from .models import Subscriber

__all__ = ["PreferencesForm", "SubscribeForm", "clean_address"]

STAMP_SALT = "rounds.subscriptions.form"
EMAIL_LENGTH = 254


def clean_address(value: str) -> str:
    """A plain ASCII address, lower-cased: CR, LF and NUL (header injection) and non-ASCII
    addresses (unicode domains, which many hospital gateways cannot route) are refused."""
    if any(char in value for char in "\r\n\x00"):
        raise forms.ValidationError(_("An email address is one line."), code="injection")
    value = value.strip()
    if not value.isascii():
        raise forms.ValidationError(
            _("Please give the address with plain letters (no accented or non-Latin characters)."),
            code="unicode",
        )
    return value.lower()


class AddressField(forms.EmailField):
    def to_python(self, value) -> str:
        # Before EmailField's own strip, which would quietly drop a trailing CR/LF.
        if value in self.empty_values:
            return ""
        return clean_address(str(value))


def new_stamp() -> str:
    return signing.TimestampSigner(salt=STAMP_SALT).sign("subscribe")


class SubscribeForm(forms.Form):
    email = AddressField(
        label=_("Email"),
        max_length=EMAIL_LENGTH,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    name = forms.CharField(
        label=_("Name (optional)"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    stamp = forms.CharField(widget=forms.HiddenInput, max_length=200)
    # Hidden from people (hidden paragraph, no tab stop): a bot that fills every field fills this.
    website = forms.CharField(
        label=_("Leave this empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, auto_id: str = "subscribe-%s", **kwargs):
        super().__init__(*args, auto_id=auto_id, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("stamp", new_stamp())

    def clean_name(self) -> str:
        name = self.cleaned_data.get("name", "")
        if any(char in name for char in "\r\n\x00"):
            raise forms.ValidationError(_("A name is one line."))
        return name.strip()

    def clean_stamp(self) -> str:
        try:
            signing.TimestampSigner(salt=STAMP_SALT).unsign(
                self.cleaned_data.get("stamp", ""), max_age=settings.COMMENTS_TIMEOUT
            )
        except signing.BadSignature as error:
            raise forms.ValidationError(
                _("This form was open too long or was changed: please send it again."), code="stamp"
            ) from error
        return self.cleaned_data["stamp"]

    def clean_website(self) -> str:
        if self.cleaned_data.get("website"):
            raise forms.ValidationError(_("Leave this field empty."), code="honeypot")
        return ""


class PreferencesForm(forms.Form):
    frequency = forms.ChoiceField(
        label=_("How often"), choices=Subscriber.Frequency.choices, widget=forms.RadioSelect
    )

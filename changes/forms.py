from django import forms

from .models import Feedback

__all__ = ["FeedbackForm"]


class FeedbackForm(forms.ModelForm):
    class Meta:
        model = Feedback
        fields = ["topic", "status", "reason"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 3})}

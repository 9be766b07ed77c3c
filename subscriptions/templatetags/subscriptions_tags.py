"""`{% subscribe_form "footer" %}`: the subscribe form, composed into pages by the site's templates
(templates/includes/footer.html, the post template), never imported by another app."""

from django import template

from ..forms import SubscribeForm

register = template.Library()


@register.inclusion_tag("subscriptions/includes/form.html", takes_context=True)
def subscribe_form(context, place: str) -> dict:
    """A fresh form (a new signed timestamp; the page's cache keeps it for at most an hour, well
    inside the timestamp's life). `place` keeps the ids of two forms on one page apart."""
    form = SubscribeForm(auto_id=f"subscribe-{place}-%s")
    return {"form": form, "fresh": form, "place": place, "request": context.get("request")}

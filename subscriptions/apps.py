from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubscriptionsConfig(AppConfig):
    name = "subscriptions"
    verbose_name = _("Subscriptions")

    def ready(self) -> None:
        # What other apps do that calls for mail here: a post published or unpublished (Wagtail's
        # signals), something happening to a reader's comment (comments.signals.reader_news).
        from . import notices, publishing

        publishing.connect()
        notices.connect()

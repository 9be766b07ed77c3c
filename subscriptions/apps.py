import datetime

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubscriptionsConfig(AppConfig):
    name = "subscriptions"
    verbose_name = _("Subscriptions")

    def ready(self) -> None:
        # What other apps do that calls for mail here: a post published or unpublished (Wagtail's
        # signals), something happening to a reader's comment (comments.signals.reader_news).
        from ops import schedule

        from . import notices, publishing, tasks
        from .models import Subscriber

        publishing.connect()
        notices.connect()
        # What cron would do for this app, run by ops' scheduler; each is safe to run again.
        hourly = datetime.timedelta(hours=1)
        # Claims expire after SUBSCRIPTIONS_CLAIM_SECONDS (5 minutes): resuming sooner finds none.
        schedule.register("resume_mailings", tasks.resume, every=datetime.timedelta(minutes=5))
        schedule.register("send_digests", tasks.send_digests.enqueue, every=hourly)  # on its day
        schedule.register("forget_unconfirmed", Subscriber.forget_unconfirmed, every=hourly)

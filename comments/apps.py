import datetime

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = _("Comments")

    def ready(self) -> None:
        # Model signals only: what our own code does is called by name (creation.py,
        # moderation.py). These catch what is saved any other way (a shell, xtd's API): its
        # moderation row, its cooked HTML, and the purges of what it changed.
        from ops import schedule
        from pagecache.keys import register_order

        from . import cooking, creation, figures, listing, notify, personal_data, purges

        register_order(listing.HELPFUL)  # "Most helpful" pages have page-cache entries of their own
        creation.connect()  # every comment gets its moderation row
        cooking.connect()
        purges.connect()
        figures.register()  # comments waiting, for the metrics (ops.registry)
        # What cron would do, run by ops' scheduler; each is safe to run again (README "Personal data").
        schedule.register("send_comment_digest", notify.send_digest, every=datetime.timedelta(hours=1))
        schedule.register(
            "purge_comment_ips", personal_data.forget_old_addresses, every=datetime.timedelta(hours=1)
        )

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = _("Comments")

    def ready(self) -> None:
        # The reactions to what moderation.py announces (signals.py): the audit log inside the
        # decision's transaction, mail tasks (notify.py, enqueued by tasks.py) and page-cache
        # purges after it commits. Cooking keeps each comment's stored HTML in step with its text.
        from . import audit, cooking, figures, moderation, purges, tasks

        moderation.connect()  # every comment gets its moderation row
        audit.connect()
        cooking.connect()
        tasks.connect()
        purges.connect()
        figures.register()  # comments waiting, for the metrics (ops.registry)

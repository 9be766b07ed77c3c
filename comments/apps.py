from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = _("Comments")

    def ready(self) -> None:
        # Model signals only: what our own code does is called by name (creation.py,
        # moderation.py). These catch what is saved any other way (a shell, xtd's API): its
        # moderation row, its cooked HTML, and the purges of what it changed.
        from . import cooking, creation, figures, purges

        creation.connect()  # every comment gets its moderation row
        cooking.connect()
        purges.connect()
        figures.register()  # comments waiting, for the metrics (ops.registry)

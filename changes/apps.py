from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChangesConfig(AppConfig):
    name = "changes"
    verbose_name = _("Changes")

    def ready(self) -> None:
        # Page-cache purges and reader notifications react to model and comment signals.
        from . import purges, tasks

        purges.connect()
        tasks.connect()

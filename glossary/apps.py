from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GlossaryConfig(AppConfig):
    name = "glossary"
    verbose_name = _("Glossary")

    def ready(self) -> None:
        from . import checks, purges  # noqa: F401  (checks registers itself; models are loaded only now)

        purges.connect()

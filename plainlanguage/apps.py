from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlainLanguageConfig(AppConfig):
    name = "plainlanguage"
    verbose_name = _("Plain language")

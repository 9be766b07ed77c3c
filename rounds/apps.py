from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoundsConfig(AppConfig):
    """The composition root: an app only for `seed_demo` and the migrations that once made the page
    cache's tables (now `pagecache`'s, under their old names)."""

    name = "rounds"
    verbose_name = _("Rounds")
    default_auto_field = "django.db.models.BigAutoField"

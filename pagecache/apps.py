from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PageCacheConfig(AppConfig):
    name = "pagecache"
    verbose_name = _("Page cache")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import checks, frontend  # noqa: F401 - checks registers the system checks

        frontend.connect()  # HTTP caches in front follow the page cache's purges

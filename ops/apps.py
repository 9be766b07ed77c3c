from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    name = "ops"
    verbose_name = _("Operations")

    def ready(self) -> None:
        from pagecache import middleware

        from . import counters

        middleware.served_listeners.append(counters.page_cache_served)  # hits, stale serves, misses

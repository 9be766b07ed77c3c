"""System checks of the page cache, registered in PageCacheConfig.ready()."""

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register

from .stamps import stamp_store

__all__ = ["page_cache_stamps_are_shared"]


@register(Tags.caches, deploy=True)
def page_cache_stamps_are_shared(app_configs=None, **kwargs) -> list[CheckMessage]:
    """Purge stamps kept in one process's memory are a purge the other workers never see: a
    rejected comment would stay public on them for an hour. Production must share them."""
    if not settings.PAGE_CACHE_SECONDS:
        return []
    try:
        shared = stamp_store().shared
    except Exception as error:  # ImproperlyConfigured, or a cache backend that cannot load
        return [Error(f"The page cache's stamp store cannot be used: {error}", id="pagecache.E002")]
    if shared:
        return []
    return [
        Error(
            f"PAGE_CACHE_STAMPS={settings.PAGE_CACHE_STAMPS!r} keeps the page cache's purge stamps in "
            "one process's memory, so a purge made in one process is not seen by the others.",
            hint="Set REDIS_URL, or leave PAGE_CACHE_STAMPS unset to keep them in the database.",
            id="pagecache.E001",
        )
    ]

"""Purges for the HTTP caches in front of the app servers (Varnish, or a CDN), following the page cache.

The page cache announces every purge it applies (`pagecache.purging.pages_purged`, after commit),
so whatever purges it (admin, moderation queue, shell, management command) purges the caches in
front too, from this one receiver. Paths go through Wagtail's frontend cache (`PurgeBatch`), so the
same WAGTAILFRONTENDCACHE settings reach Varnish, Cloudflare or CloudFront. A group cannot be listed
as paths (every tag, month and page of the listings), so it is sent as a BAN naming the group, which
rounds.vcl turns into a ban on the `X-Cache-Group` header of stored pages; only HTTP backends
(Varnish) understand it.

Both run as tasks (django-tasks): in production the database queue's worker sends them, so a slow
or unreachable cache never holds a reader's or a moderator's request, and a failure is logged,
never raised.
"""

import http.client
import logging
import urllib.request
from collections.abc import Iterable

from django.conf import settings
from django.utils.encoding import iri_to_uri
from django_tasks import task
from wagtail.contrib.frontend_cache.backends import HTTPBackend
from wagtail.contrib.frontend_cache.utils import PurgeBatch, get_backends

from .keys import GROUP_HEADER, Group
from .purging import pages_purged

__all__ = ["ban_groups", "connect", "purge_front_caches", "urls_for"]

logger = logging.getLogger(__name__)

# A cache that does not answer within this many seconds is logged as failed; the worker moves on.
BAN_TIMEOUT = 10


def urls_for(paths: Iterable[str]) -> list[str]:
    """Absolute URLs of the purged paths, on the public address (BASE_URL) readers use, as ASCII
    (a page's path may hold any character a slug allows; a request line may not)."""
    return [iri_to_uri(path if "://" in path else settings.BASE_URL + path) for path in paths]


class BanRequest(urllib.request.Request):
    def get_method(self) -> str:
        return "BAN"


@task()
def ban_groups(groups: list[str]) -> None:
    """Ask every HTTP cache (Varnish) to drop the pages of these groups. CDN backends have no ban."""
    for name, backend in get_backends().items():
        if not isinstance(backend, HTTPBackend):
            logger.info("Frontend cache %r cannot ban by group; %s kept until they expire", name, groups)
            continue
        for group in groups:
            request = BanRequest(
                f"{backend.cache_scheme}://{backend.cache_netloc}/", headers={GROUP_HEADER: group}
            )
            try:
                # The scheme and address come from the settings (FRONTEND_CACHE_URL), never a reader.
                with urllib.request.urlopen(request, timeout=BAN_TIMEOUT):  # noqa: S310
                    pass
            except (OSError, http.client.HTTPException) as error:
                logger.error("Couldn't ban group %r from frontend cache %r: %s", group, name, error)


def purge_front_caches(sender: object, paths: list[str], groups: list[Group], **kwargs: object) -> None:
    """Receiver of `pages_purged`: the same paths and groups, purged in front. Nothing is sent
    when no frontend cache is configured (FRONTEND_CACHE_URL unset)."""
    if not settings.WAGTAILFRONTENDCACHE:
        return
    try:
        if paths:
            PurgeBatch(urls_for(paths)).purge()
        if groups:
            ban_groups.enqueue([str(group) for group in groups])
    except Exception:  # a purge in front must never break the change that caused it
        logger.exception("Couldn't queue the frontend cache purge of %s and groups %s", paths, groups)


def connect() -> None:
    pages_purged.connect(purge_front_caches, dispatch_uid="rounds-frontend-cache")

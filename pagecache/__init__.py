"""Whole-page cache for anonymous readers, with exact purging on every app server.

The purge table: every cached page belongs to one `Group`, which the view that renders it declares
(`cache_as`), so no path pattern is typed twice and a page the blog index serves follows the
index's slug wherever an editor moves it. Each path and each group has a version stamp; an entry
remembers the stamps it was rendered under and is served only while both are current. Purging
writes new stamps after the transaction commits, so every server stops serving the old entry at
once, and old entries simply expire. Stamps are read *before* the page renders: a page rendered
from data that a purge then replaced carries the old stamp and is never served.

Where things live:

- **Stamps** in a store every process shares (`stamps.stamp_store()`): Redis when `REDIS_URL` is set, else
  the database (`pagecache.models.PageCacheStamp`). Never per-process memory: a purge made by one
  worker, a shell or a cron job must be seen by all (`pagecache/checks.py` fails `check --deploy`
  otherwise).
- **Bodies**, gzipped once, in two tiers: a bytes-bounded LRU in each process (`LocalTier`), keyed
  by the path and the stamps it was rendered under, so a purge changes the key; behind it, with
  Redis, one shared entry per path. A hit costs one read of the stamps and a dictionary lookup.
  Clients that accept gzip get the stored bytes as they are; the others get them decompressed
  (once per process and version).
- **No stampede.** When a page with a previous version is purged, one process takes a short lock
  in the stamp store and renders; the others serve the previous version while it does, for at most
  `PAGE_CACHE_STALE_SECONDS` (5) after the purge, then wait for the new one. Never a render per
  worker at once, and the new version shows as soon as its one render is done.
- **Redis outage.** Reading stamps fails: the page is served uncached, the outage is logged once
  per minute per process, and Redis is retried after a second. A purge that cannot reach Redis is
  written to the database (`pagecache.models.PendingPurge`) and applied by the first process that
  sees Redis again (each process also looks for such purges every few seconds), so a Redis that
  comes back with its old data never serves what the purge retired.

Only anonymous GETs are cached: a request with a session or messages cookie, a response that sets
a cookie (such as a CSRF token), a preview, an error page, a response marked private, a page under
a view restriction, and any view that declares no group is never stored.

Laid out by job, as django.contrib.sessions is: `keys` (the groups, the one `?page=` rule, stamp
keys), `stamps` (the stores every process shares), `tiers` (entries and each process's memory),
`purging`, `middleware`, `models`, `checks`, and `frontend` (the same purges sent to Varnish or a
CDN). Apps import from the module that does the job; this package imports no app.
"""

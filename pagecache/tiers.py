"""Stored pages (`Entry`) and this process's memory of them (`LocalTier`); the shared tier is the
stamp store's (`stamps.CacheStamps.get_entry`)."""

import dataclasses
import gzip
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

from .keys import group_key

__all__ = ["Entry", "LocalTier", "local_tier", "path_key_of", "stamped_key"]


@dataclasses.dataclass(slots=True)
class Entry:
    """A stored page: gzipped once; its plain body made on demand, once per process."""

    base: str
    group: str
    path_stamp: int
    group_stamp: int
    status: int
    # As Django's ResponseHeaders keeps them (`lower-name: (name, value)`), so a hit copies them.
    headers: dict[str, tuple[str, str]]
    etag: str
    body: bytes  # gzip
    expires: float
    plain: bytes | None = None

    def __getstate__(self):  # the shared tier stores the gzip body only
        return [getattr(self, field.name) for field in dataclasses.fields(self)][:-1]

    def __setstate__(self, state):
        for field, value in zip(dataclasses.fields(self), [*state, None], strict=True):
            setattr(self, field.name, value)

    def current(self, stamps: dict[str, int]) -> bool:
        return (
            self.path_stamp == stamps.get(path_key_of(self))
            and self.group_stamp == stamps.get(group_key(self.group))
            and self.expires > time.time()
        )

    @property
    def size(self) -> int:
        return len(self.body) + len(self.plain or b"") + 512


def path_key_of(entry: Entry) -> str:
    return entry.base.split("|", 1)[0]


def stamped_key(entry: Entry) -> str:
    return f"{entry.base}|{entry.group_stamp}|{entry.path_stamp}"


class LocalTier:
    """This process's page bodies: an LRU bounded in bytes, keyed by path and stamps.

    Beside it, for each path, the key of the version last stored here: the lookup for a hit, and the
    previous version that readers are served while another process renders the new one.
    """

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.bytes = 0
        self.entries: OrderedDict[str, Entry] = OrderedDict()
        self.latest: dict[str, str] = {}
        self.lock = threading.Lock()

    def get(self, base: str) -> Entry | None:
        """The latest version stored here for `base` (current or not)."""
        with self.lock:
            key = self.latest.get(base)
            entry = self.entries.get(key) if key else None
            if entry is not None:
                self.entries.move_to_end(key)
            return entry

    def put(self, entry: Entry) -> None:
        key = stamped_key(entry)
        with self.lock:
            old = self.entries.pop(self.latest.get(entry.base, ""), None)
            if old is not None:
                self.bytes -= old.size
            if entry.size > self.max_bytes:
                self.latest.pop(entry.base, None)
                return
            self.entries[key] = entry
            self.latest[entry.base] = key
            self.bytes += entry.size
            while self.bytes > self.max_bytes:
                _evicted_key, evicted = self.entries.popitem(last=False)
                self.bytes -= evicted.size
                self.latest.pop(evicted.base, None)

    def plain(self, entry: Entry) -> bytes:
        """The uncompressed body, decompressed once and counted in the tier's bytes."""
        if entry.plain is None:
            plain = gzip.decompress(entry.body)
            with self.lock:
                if entry.plain is None:
                    entry.plain = plain
                    if self.entries.get(stamped_key(entry)) is entry:
                        self.bytes += len(plain)
        return entry.plain

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
            self.latest.clear()
            self.bytes = 0

    def __len__(self) -> int:
        return len(self.entries)


_local: LocalTier | None = None


def local_tier() -> LocalTier:
    global _local
    if _local is None:
        _local = LocalTier(settings.PAGE_CACHE_LOCAL_BYTES)
    return _local


@receiver(setting_changed)
def _settings_changed(setting: str, **kwargs) -> None:
    global _local
    if setting == "PAGE_CACHE_LOCAL_BYTES":
        _local = None

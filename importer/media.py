"""Images found for a post's <img> tags, and search indexing deferred to one bulk pass.

`--media DIR` is as untrusted as the export: a file becomes an image only if its extension is one
of Wagtail's image extensions *and* its content is an image of that kind (sniffed from its bytes,
then opened), so no `.html` or `.svg` with a script lands in MEDIA_ROOT, which is active content
when media is served from the site's origin. Symlinks and anything resolving outside DIR are
refused. A refused file stays a link in the post, and is counted (`refused`).
"""

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlsplit

import filetype
from django.contrib.contenttypes.models import ContentType
from django.core.files.images import ImageFile
from django.db.models.signals import post_save
from modelsearch.backends import get_search_backends
from modelsearch.signal_handlers import post_save_signal_handler
from wagtail.images import get_image_model
from wagtail.images.utils import get_allowed_image_extensions
from willow.image import Image as WillowImage

from .models import ImportedItem

__all__ = ["ImageFinder", "index_for_search", "search_index_deferred"]

INDEX_CHUNK = 100  # posts indexed for search at once at the end (and held in memory then)
_RESIZED = re.compile(r"-\d+x\d+(?=\.[a-z0-9]+$)", re.IGNORECASE)  # WordPress's "photo-300x200.jpg"


class ImageFinder:
    """Images for <img src> from a folder (`--media DIR`), matched by file name (and WordPress's
    resized copies by their original's), each imported once."""

    def __init__(self, folder: Path, source: str):
        self.source = source
        self.folder = folder.resolve()
        self.files: dict[str, Path] = {}
        for directory, _dirs, names in os.walk(folder):  # never into a symlinked folder
            for name in names:
                self.files.setdefault(name.lower(), Path(directory) / name)
        self.created = 0
        self.refused = 0  # files a post named that are not real images inside the folder

    def __call__(self, src: str) -> int | None:
        name = unquote(urlsplit(src).path).rpartition("/")[2].lower()
        path = self.files.get(name) or self.files.get(_RESIZED.sub("", name))
        if path is None:
            return None
        if not self.is_image(path):
            self.refused += 1
            return None
        item = ImportedItem.objects.filter(
            source=self.source, kind=ImportedItem.Kind.IMAGE, source_id=path.name
        )
        known = item.values_list("object_id", flat=True).first()
        if known is not None and get_image_model().objects.filter(pk=known).exists():
            return known
        try:
            with path.open("rb") as file:
                image = get_image_model()(title=path.stem[:255], file=ImageFile(file, name=path.name))
                image.save()
        except Exception:  # not an image Wagtail can read: the post keeps a link instead
            return None
        ImportedItem.objects.update_or_create(
            source=self.source,
            kind=ImportedItem.Kind.IMAGE,
            source_id=path.name,
            defaults={"content_type": ContentType.objects.get_for_model(image), "object_id": image.pk},
        )
        self.created += 1
        return image.pk

    def is_image(self, path: Path) -> bool:
        """A regular file inside the folder (no symlink), with an image extension Wagtail accepts
        and content of that very kind, which opens as an image."""
        extension = path.suffix.lower().lstrip(".")
        allowed = {ext.lower() for ext in get_allowed_image_extensions()} - {"svg"}
        if path.is_symlink() or not path.is_file() or extension not in allowed:
            return False
        if not path.resolve().is_relative_to(self.folder):
            return False
        try:
            with path.open("rb") as file:
                sniffed = filetype.guess_extension(file)
                file.seek(0)
                if _same_kind(sniffed, extension):
                    WillowImage.open(file).get_size()
                    return True
        except Exception:
            return False
        return False


def _same_kind(sniffed: str | None, extension: str) -> bool:
    aliases = {"jpg": "jpeg"}
    return sniffed is not None and aliases.get(sniffed, sniffed) == aliases.get(extension, extension)


@contextmanager
def search_index_deferred(model) -> Iterator[None]:
    """Saves of `model` are not indexed for search one by one: the search backend recomputes
    statistics over the whole index on each addition (quadratic over an import), and in
    production each save would be a task. The importer indexes its posts in bulk at the end."""
    post_save.disconnect(post_save_signal_handler, sender=model)
    try:
        yield
    finally:
        post_save.connect(post_save_signal_handler, sender=model)


def index_for_search(model, pks: list[int]) -> None:
    """(Re)index these objects in every search backend that updates itself, a chunk at a time."""
    for start in range(0, len(pks), INDEX_CHUNK):
        objects = list(model.get_indexed_objects().filter(pk__in=pks[start : start + INDEX_CHUNK]))
        for backend in get_search_backends(with_auto_update=True):
            backend.add_bulk(model, objects)

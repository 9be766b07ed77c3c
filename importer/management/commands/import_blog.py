"""Import a WordPress or Blogger export: posts, their whole discussion, and redirects from the old
addresses (README "Import"). Thin: importer.parsers reads, importer.writer writes."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from importer.parsers import open_export
from importer.records import ImportFailed
from importer.writer import Importer


class Command(BaseCommand):
    help = "Import a WordPress (WXR) or Blogger export file: posts, comments and redirects."

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", help="the export file (WordPress .xml, Blogger feed.atom or .xml)")
        parser.add_argument("--dry-run", action="store_true", help="read everything, say what would change")
        parser.add_argument(
            "--media", type=Path, help="a folder holding the blog's images, imported as images"
        )

    def handle(self, *args, path: str, dry_run: bool, media: Path | None, **options) -> None:
        if media is not None and not media.is_dir():
            raise CommandError(f"--media {media}: not a folder")
        try:
            export = open_export(path)
            importer = Importer(export, media=media, dry_run=dry_run)
            summary = importer.run(progress=lambda posts: self._progress(posts, export.item_count))
        except ImportFailed as error:
            raise CommandError(str(error)) from None
        heading = "Dry run, nothing written" if dry_run else "Imported"
        self.stdout.write(f"{heading}: {path} ({export.format}, from {export.source})")
        for line in summary.planned:  # a dry run says what it would do with each post
            self.stdout.write(f"  would be {line}")
        for line in summary.lines():
            self.stdout.write(f"  {line}")

    def _progress(self, posts, total: int):
        """A bar per post on a terminal; nothing in logs and pipes."""
        if not sys.stderr.isatty():
            return posts
        from tqdm import tqdm

        return tqdm(posts, total=total, unit="item", desc="Importing", file=sys.stderr)

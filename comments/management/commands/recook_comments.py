"""Cook comments again after the sanitising rules change (comments.cooking.recook)."""

from django.core.management.base import BaseCommand

from comments.cooking import recook


class Command(BaseCommand):
    help = (
        "Make each comment's stored HTML again under the current sanitising rules: by default only "
        "comments cooked under older rules (run it after raising comments.sanitize.POLICY)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--all", action="store_true", help="Cook every comment again, current or not.")

    def handle(self, *args, **options) -> None:
        count = recook(everything=options["all"])
        self.stdout.write(f"Cooked {count} comments.")

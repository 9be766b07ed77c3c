"""Everything stored about one commenter's email, as JSON on stdout (a subject access request)."""

import json

from django.core.management.base import BaseCommand

from comments.personal_data import export_commenter


class Command(BaseCommand):
    help = "Write everything stored about EMAIL (comments, moderation, history, subscription) as JSON."

    def add_arguments(self, parser) -> None:
        parser.add_argument("email")

    def handle(self, *args, email: str, **options) -> None:
        self.stdout.write(json.dumps(export_commenter(email), indent=2, ensure_ascii=False))

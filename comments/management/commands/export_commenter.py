"""Everything stored about one commenter's email, as JSON on stdout (a subject access request)."""

import json

from django.core.management.base import BaseCommand

from comments.models import Comment


class Command(BaseCommand):
    help = "Write everything stored about EMAIL (comments, moderation, history, subscription) as JSON."

    def add_arguments(self, parser) -> None:
        parser.add_argument("email")

    def handle(self, *args, email: str, **options) -> None:
        self.stdout.write(json.dumps(Comment.objects.export_for(email), indent=2, ensure_ascii=False))

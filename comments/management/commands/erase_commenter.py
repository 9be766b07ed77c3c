"""Anonymise one commenter on request, keeping the shape of the threads they took part in."""

from django.core.management.base import BaseCommand

from comments.personal_data import erase_commenter


class Command(BaseCommand):
    help = "Anonymise the comments of EMAIL: name, email, IP and URL cleared, text and its history redacted."

    def add_arguments(self, parser) -> None:
        parser.add_argument("email")

    def handle(self, *args, email: str, **options) -> None:
        erased = erase_commenter(email)
        self.stdout.write(f"Erased {erased} comment(s) by {email}.")

from django.core.management.base import BaseCommand

from comments import notify


class Command(BaseCommand):
    help = "Email moderators the comments held since the last digest (hourly-digest sites). Run hourly."

    def handle(self, *args, **options):
        count = notify.send_digest()
        self.stdout.write(f"{count} held comment(s) in digests")

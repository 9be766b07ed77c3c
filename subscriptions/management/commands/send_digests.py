from django.core.management.base import BaseCommand

from subscriptions.tasks import send_digests


class Command(BaseCommand):
    help = "Send the weekly digest if today is the site's digest day (cron: daily)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="send now, whatever the day")

    def handle(self, *args, force=False, **options):
        result = send_digests.enqueue(force=force)
        self.stdout.write(f"digest queued ({result.id})")

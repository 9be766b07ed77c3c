from django.core.management.base import BaseCommand

from subscriptions.tasks import resume


class Command(BaseCommand):
    help = "Take back a crashed worker's claims and send every mailing left unfinished (cron: each minute)."

    def handle(self, *args, **options):
        self.stdout.write(f"{resume()} mailing(s) resumed")

from django.core.management.base import BaseCommand

from subscriptions.models import Subscriber


class Command(BaseCommand):
    help = "Forget addresses nobody confirmed within 7 days (cron: daily)."

    def handle(self, *args, **options):
        self.stdout.write(f"{Subscriber.forget_unconfirmed()} unconfirmed address(es) forgotten")

"""Forget commenters' IP addresses after a while. The scheduler does it hourly (README "Personal data");
this command is for another period or a one-off run."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from comments.personal_data import IP_DAYS, clear_ip_addresses


class Command(BaseCommand):
    help = "Clear the IP addresses stored with comments (and reports) older than --days days."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--days", type=int, default=IP_DAYS, help=f"keep addresses this many days ({IP_DAYS})"
        )

    def handle(self, *args, days: int, **options) -> None:
        if days < 1:
            raise CommandError("--days must be at least 1: rate limits need the last hour's addresses.")
        cleared = clear_ip_addresses(timezone.now() - datetime.timedelta(days=days))
        self.stdout.write(f"Cleared {cleared} stored IP address(es) older than {days} days.")

"""seed_demo: the demo hospital blog. The project composes each app's own demo content."""

from django.core.management.base import BaseCommand

from blog import demo as blog_demo
from changes import demo as changes_demo
from comments import demo as comments_demo
from glossary import demo as glossary_demo


class Command(BaseCommand):
    help = "Load the demo hospital blog. Safe to run again: existing content is left alone."

    def handle(self, *args, **options):
        home = blog_demo.seed()
        glossary_demo.seed()
        comments_demo.seed()
        changes_demo.seed()
        self.stdout.write(self.style.SUCCESS(f"Demo content ready at {home.url or '/'}"))

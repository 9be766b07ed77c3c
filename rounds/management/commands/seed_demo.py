"""seed_demo: the demo hospital blog. The project composes each app's own demo content."""

from django.core.management.base import BaseCommand

from blog import demo as blog_demo
from blog import demo_es as blog_demo_es
from changes import demo as changes_demo
from changes import demo_es as changes_demo_es
from comments import demo as comments_demo
from glossary import demo as glossary_demo
from glossary import demo_es as glossary_demo_es


class Command(BaseCommand):
    help = "Load the demo hospital blog. Safe to run again: existing content is left alone."

    def handle(self, *args, **options):
        home = blog_demo.seed()
        glossary_demo.seed()
        comments_demo.seed()
        changes_demo.seed()
        # Spanish versions of the seed post and two others, the glossary and the change.
        blog_demo_es.seed()
        glossary_demo_es.seed()
        changes_demo_es.seed()
        self.stdout.write(self.style.SUCCESS(f"Demo content ready at {home.url or '/'}"))

"""Factories for the page tree and snippets. Tests build exactly the content they need."""

import datetime
import json

import factory
import wagtail_factories
from django.conf import settings
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, Site

from blog.models import Author, BlogIndexPage, BlogPage, BlogPageAuthor, HomePage


class AuthorFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Author {n}")
    slug = factory.Sequence(lambda n: f"author-{n}")
    role = "President and CEO"

    class Meta:
        model = Author


class HomePageFactory(wagtail_factories.PageFactory):
    title = "Rounds"
    slug = "home"

    class Meta:
        model = HomePage


class BlogIndexPageFactory(wagtail_factories.PageFactory):
    title = "All posts"
    slug = "blog"

    class Meta:
        model = BlogIndexPage


class BlogPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Post number {n}")
    slug = factory.Sequence(lambda n: f"post-{n}")
    intro = "A short introduction to the post."
    date = factory.Sequence(lambda n: datetime.date(2026, 1, 1) - datetime.timedelta(days=n))
    body = json.dumps([{"type": "paragraph", "value": "<p>Body text about the patient portal.</p>"}])

    class Meta:
        model = BlogPage
        skip_postgeneration_save = True

    @factory.post_generation
    def authors(self, create, extracted, **kwargs):
        if not create:
            return
        for author in extracted or [AuthorFactory()]:
            BlogPageAuthor.objects.create(page=self, author=author)

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.add(*extracted)
            self.save()


def make_site() -> tuple[HomePage, BlogIndexPage]:
    """A home page served as the default site, with the blog index at /blog/."""
    Page.objects.filter(depth=2).delete()  # Wagtail's placeholder welcome page
    root = Page.get_first_root_node()
    home = HomePageFactory(parent=root)
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "port": 80, "root_page": home}
    )
    index = BlogIndexPageFactory(parent=home)
    return home, index


def ensure_migrated_rows() -> None:
    """Recreate the rows Wagtail's migrations make, after a transactional test flushed them."""
    Locale.objects.get_or_create(language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))
    if not Page.objects.filter(depth=1).exists():
        Page.add_root(instance=Page(title="Root", slug="root"))


def spanish() -> Locale:
    return Locale.objects.get_or_create(language_code="es")[0]


def translate(page: Page, language: str = "es", **fields) -> Page:
    """The page's translation (its parents' too, when missing), made as an editor makes it with
    Wagtail's copy for translation, with `fields` set and published."""
    locale = Locale.objects.get_or_create(language_code=language)[0]
    translated = page.copy_for_translation(locale, copy_parents=True).specific
    for name, value in fields.items():
        setattr(translated, name, value)
    translated.save_revision().publish()
    translated.refresh_from_db()
    return translated


def make_spanish_site(home: HomePage, index: BlogIndexPage) -> tuple[HomePage, BlogIndexPage]:
    """The Spanish home page (/es/) and blog index (/es/blog/) beside the English ones."""
    home_es = translate(home, title="Rounds", intro="Notas de la dirección del hospital.")
    index_es = translate(index, title="Todas las entradas")
    return home_es, index_es

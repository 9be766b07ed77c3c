"""Factories for glossary terms."""

import factory

from glossary.models import Term


class TermFactory(factory.django.DjangoModelFactory):
    term = factory.Sequence(lambda n: f"Term{n}")
    slug = factory.LazyAttribute(lambda term: term.term.lower().replace(" ", "-"))
    expansion = ""
    definition = factory.LazyAttribute(lambda term: f"What {term.term} means.")
    variants = ""
    case_sensitive = False

    class Meta:
        model = Term
        skip_postgeneration_save = True

    @factory.post_generation
    def related(self, create, extracted, **kwargs):
        if create and extracted:
            self.related_terms.set(extracted)
            self.save()

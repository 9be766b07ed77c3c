"""Glossary terms: the hospital's own definitions of the jargon its posts and readers use.

A leaf of the app: the table, its validation and its structured data. The compiled matcher
(registry.py), the annotation (annotation.py) and the posts that use a term (usage.py) build on it.
"""

import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import RevisionMixin, TranslatableMixin
from wagtail.search import index

from core.text import lines

from .matching import Entry, Matcher, form_key, form_problem, normalise_form

__all__ = ["Term", "TermQuerySet"]

DEFINITION_MAX_LENGTH = 300


# The A-Z letters of each language, in its order: Spanish has Ñ after N. Others use the default's.
_LATIN = [chr(code) for code in range(ord("A"), ord("Z") + 1)]
ALPHABETS = {"en": _LATIN, "es": [*_LATIN[:14], "Ñ", *_LATIN[14:]]}


def alphabet(language: str) -> list[str]:
    return ALPHABETS.get(language, ALPHABETS["en"])


def _base_letter(char: str) -> str:
    """A letter without its accents (Á is A), except where the language counts it apart (Ñ)."""
    if char in "ñÑ":
        return char
    return unicodedata.normalize("NFD", char)[:1]


def sort_key(text: str) -> str:
    """How a dictionary in these languages sorts: accents ignored, case ignored, ñ after n (Spanish
    collation, without a locale installed on the server)."""
    folded = "".join(_base_letter(char) for char in text.casefold())
    return folded.replace("ñ", "n\U0010ffff")


class TermQuerySet(models.QuerySet):
    def alphabetical(self) -> "TermQuerySet":
        return self.order_by("term", "pk")

    def in_language(self, language: str) -> "TermQuerySet":
        return self.filter(locale__language_code=language)

    def matching(self, query: str, limit: int = 10) -> "TermQuerySet":
        """Terms whose name, expansion or variants contain the query (site search)."""
        query = query.strip()
        if not query:
            return self.none()
        return self.filter(
            Q(term__icontains=query) | Q(expansion__icontains=query) | Q(variants__icontains=query)
        ).alphabetical()[:limit]

    def claimed_forms(self) -> dict[str, "Term"]:
        """Every form's key mapped to the term that claims it (one query)."""
        claims: dict[str, Term] = {}
        for term in self.only("pk", "term", "slug", "variants").order_by("pk"):
            for form in term.forms:
                claims.setdefault(form_key(form), term)
        return claims


class Term(TranslatableMixin, RevisionMixin, index.Indexed, ClusterableModel):
    term = models.CharField(_("term"), max_length=100, help_text=_('As readers meet it, e.g. "EHR".'))
    slug = models.SlugField(_("slug"), max_length=100, blank=True)
    expansion = models.CharField(
        _("expansion"),
        max_length=200,
        blank=True,
        help_text=_('What an acronym stands for: "Electronic Health Record".'),
    )
    definition = models.TextField(
        _("short definition"),
        max_length=DEFINITION_MAX_LENGTH,
        validators=[MaxLengthValidator(DEFINITION_MAX_LENGTH)],
        help_text=_("Plain text, at most 300 characters. Shown where the term is read."),
    )
    explanation = RichTextField(
        _("explanation"),
        blank=True,
        features=["bold", "italic", "link", "ol", "ul"],
        help_text=_("Optional. Shown on the term's own page."),
    )
    variants = models.TextField(
        _("variants"),
        blank=True,
        help_text=_('Other forms that also match, one per line: "EHRs", "electronic health record".'),
    )
    case_sensitive = models.BooleanField(
        _("case-sensitive"),
        default=False,
        help_text=_(
            'On for acronyms: forms with capitals then match only as written ("EHR", never "ehr"). '
            "Forms written in lower case match in any case."
        ),
    )
    related_terms = ParentalManyToManyField(
        "self", blank=True, symmetrical=False, related_name="related_from", verbose_name=_("related terms")
    )

    panels = [
        FieldPanel("term"),
        FieldPanel("expansion"),
        FieldPanel("definition"),
        FieldPanel("explanation"),
        MultiFieldPanel(
            [FieldPanel("variants"), FieldPanel("case_sensitive")],
            heading=_("Matching in posts and comments"),
        ),
        FieldPanel("related_terms"),
        FieldPanel("slug"),
    ]

    search_fields = [
        index.SearchField("term", boost=5),
        index.SearchField("expansion", boost=3),
        index.SearchField("definition"),
        index.SearchField("variants"),
        index.AutocompleteField("term"),
    ]

    objects = TermQuerySet.as_manager()

    class Meta(TranslatableMixin.Meta):
        ordering = ["term", "pk"]
        # A slug is an address: unique within its language (/glossary/ehr/, /es/glossary/hce/).
        constraints = [
            models.UniqueConstraint(fields=["locale", "slug"], name="glossary_term_slug_per_locale")
        ]
        verbose_name = _("glossary term")
        verbose_name_plural = _("glossary terms")

    def __str__(self) -> str:
        return self.term

    @property
    def variant_list(self) -> list[str]:
        """The variants, one per line; `lines` folds whitespace exactly as `normalise_form` does."""
        return lines(self.variants)

    @property
    def forms(self) -> list[str]:
        """The term and its variants: everything that is annotated as this term."""
        return [normalise_form(self.term), *self.variant_list]

    def initial_in(self, language: str) -> str:
        """The A-Z index letter in that language's alphabet (Á under A, Ñ its own letter in
        Spanish): digits and symbols share "#"."""
        first = _base_letter(self.term[:1].upper())
        letters = alphabet(language)
        if first == "Ñ" and first not in letters:
            first = "N"
        return first if first in letters else "#"

    @property
    def initial(self) -> str:
        return self.initial_in(settings.LANGUAGE_CODE)

    def get_absolute_url(self) -> str:
        return reverse("glossary:term", kwargs={"slug": self.slug})

    @staticmethod
    def add_url(term: str = "") -> str:
        """The admin's new-term form, with `term` filled in (wagtail_hooks.TermCreateView)."""
        url = reverse("wagtailsnippets_glossary_term:add")
        return f"{url}?{urlencode({'term': term})}" if term else url

    def entry(self) -> Entry:
        return Entry(self.slug, self.term, self.expansion, self.definition, self.get_absolute_url())

    def matcher(self) -> Matcher:
        """A matcher for this term alone (glossary.usage finds the posts that use it)."""
        return Matcher([(self.entry(), self.forms, self.case_sensitive)])

    def structured_data(self) -> dict:
        """schema.org DefinedTerm, for search engines and page previews."""
        data = {
            "@type": "DefinedTerm",
            "name": self.term,
            "termCode": self.slug,
            "description": self.definition,
            "url": settings.BASE_URL + self.get_absolute_url(),
            "inDefinedTermSet": settings.BASE_URL + reverse("glossary:index"),
        }
        if self.expansion:
            data["alternateName"] = self.expansion
        return {"@context": "https://schema.org", **data}

    @classmethod
    def index_structured_data(cls, terms: list["Term"]) -> dict:
        """schema.org DefinedTermSet holding every term."""
        defined = []
        for term in terms:
            data = term.structured_data()
            del data["@context"], data["inDefinedTermSet"]
            defined.append(data)
        return {
            "@context": "https://schema.org",
            "@type": "DefinedTermSet",
            "name": str(_("Glossary")),
            "url": settings.BASE_URL + reverse("glossary:index"),
            "hasDefinedTerm": defined,
        }

    def clean(self) -> None:
        super().clean()
        if not self.slug:
            self.slug = slugify(self.term)[:100]
        errors: dict[str, list] = {}
        if not self.slug:
            errors["slug"] = [_("Give this term a slug: letters, digits and hyphens.")]
        for field, forms in (("term", [self.term]), ("variants", self.variant_list)):
            for form in forms:
                if form_problem(form):
                    errors.setdefault(field, []).append(
                        _("“%(form)s” must start and end with a letter or digit.") % {"form": form}
                    )
        own: set[str] = set()
        # A form belongs to one term per language: "HCE" can be Spanish while "EHR" is English.
        locale_id = self.locale_id or self.get_default_locale().pk
        others = Term.objects.exclude(pk=self.pk).filter(locale_id=locale_id).claimed_forms()
        for field, forms in (("term", [self.term]), ("variants", self.variant_list)):
            for form in forms:
                key = form_key(form)
                if key in own:
                    errors.setdefault(field, []).append(_("“%(form)s” is listed twice.") % {"form": form})
                own.add(key)
                if key in others:
                    errors.setdefault(field, []).append(
                        _("“%(form)s” already belongs to the term “%(other)s”.")
                        % {"form": form, "other": others[key].term}
                    )
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = slugify(self.term)[:100]
        super().save(*args, **kwargs)

"""Wagtail's database search backend, with each object indexed and searched in its own language.

PostgreSQL stems words by a text-search configuration, and Wagtail's backend has one for the
whole index. Here a page or snippet with a locale is indexed with its language's configuration
(`SEARCH_CONFIGS`: "english", "spanish"), and a query is parsed with the reader's (the active
language), so "clínicas" finds "clínica" on a Spanish page and "visiting" finds "visit" on an
English one. SQLite's FTS5 has no per-language stemmer: there the index is the same, accents are
folded by FTS5's unicode61 tokenizer, and the search view keeps to the reader's language's pages.
"""

import contextvars

from django.conf import settings
from django.db import connection
from django.utils.translation import get_language
from modelsearch.backends.database import SearchBackend as database_backend
from modelsearch.backends.database.postgres.postgres import PostgresIndex, PostgresSearchBackend
from wagtail.models import Locale

__all__ = ["SearchBackend", "config_for"]

# The language being indexed, while a batch of one language's objects is written.
_indexing: contextvars.ContextVar[str | None] = contextvars.ContextVar("search_indexing", default=None)
_locales: dict[int, str] = {}


def _language_of_locale(locale_id: int | None) -> str:
    if locale_id is None:
        return settings.LANGUAGE_CODE
    if locale_id not in _locales:  # one query per process, again only when a locale is added
        _locales.update(Locale.objects.values_list("pk", "language_code"))
    return _locales.get(locale_id, settings.LANGUAGE_CODE)


def config_for(language: str | None, default: str | None = None) -> str | None:
    return settings.SEARCH_CONFIGS.get(language or settings.LANGUAGE_CODE, default)


class LanguageIndex(PostgresIndex):
    def add_items(self, model, objs) -> None:
        by_language: dict[str, list] = {}
        for obj in objs:
            by_language.setdefault(_language_of_locale(getattr(obj, "locale_id", None)), []).append(obj)
        for language, group in by_language.items():
            token = _indexing.set(language)
            try:
                super().add_items(model, group)
            finally:
                _indexing.reset(token)


class LanguagePostgresBackend(PostgresSearchBackend):
    index_class = LanguageIndex

    @property
    def config(self) -> str | None:
        """The configuration of the object being indexed, else of the reader's language."""
        return config_for(_indexing.get() or get_language(), self._config)

    @config.setter
    def config(self, value: str | None) -> None:
        self._config = value


# The name Wagtail looks up in a backend module.
def SearchBackend(params: dict):
    if connection.vendor == "postgresql":
        return LanguagePostgresBackend(params)
    return database_backend(params)

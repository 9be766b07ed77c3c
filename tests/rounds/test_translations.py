"""The Spanish catalogue (locale/es/LC_MESSAGES/django.po): every msgid translated, none fuzzy,
each translation keeping its msgid's placeholders and markup. `make makemessages` adds new
msgids untranslated, so a string added without its Spanish fails here."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "es" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|<[^>]+>|\{\{[^}]*\}\}")


@pytest.fixture(scope="module")
def catalogue() -> polib.POFile:
    return polib.pofile(str(CATALOGUE))


def test_the_spanish_catalogue_is_committed_and_not_empty(catalogue):
    assert catalogue.metadata["Language"] == "es"
    assert len(catalogue) > 100


def test_no_msgid_is_untranslated(catalogue):
    missing = [entry.msgid for entry in catalogue.untranslated_entries() if not entry.obsolete]
    assert missing == []


def test_no_msgid_is_fuzzy(catalogue):
    assert [entry.msgid for entry in catalogue.fuzzy_entries()] == []
    assert not catalogue.metadata_is_fuzzy


def test_translations_keep_their_placeholders(catalogue):
    wrong = []
    for entry in catalogue.translated_entries():
        pairs = (
            [(entry.msgid, entry.msgstr_plural[0]), (entry.msgid_plural, entry.msgstr_plural[1])]
            if entry.msgid_plural
            else [(entry.msgid, entry.msgstr)]
        )
        for source, translated in pairs:
            if sorted(set(PLACEHOLDER.findall(source))) != sorted(set(PLACEHOLDER.findall(translated))):
                wrong.append((source, translated))
    assert wrong == []


def test_the_compiled_catalogue_is_used():
    """`make messages` (in make run and make test) compiles the .mo; it is never committed."""
    with translation.override("es"):
        assert translation.gettext("Skip to main content") == "Saltar al contenido principal"

"""The Spanish catalogue (locale/es/LC_MESSAGES/django.po): every msgid translated, none fuzzy,
each translation keeping its msgid's placeholders and markup, and no interface string missing from
it: the last test regenerates the catalogue from a copy of the code and compares."""

import os
import re
import shutil
import subprocess
import sys
from fnmatch import fnmatch
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

from tests.servers import require

BASE_DIR = Path(settings.BASE_DIR)
CATALOGUE = BASE_DIR / "locale" / "es" / "LC_MESSAGES" / "django.po"
# Markup is an HTML element by name: "<the hospital's name>" in a help text is words, not a tag.
TAGS = "a|abbr|b|br|code|em|i|kbd|li|ol|p|small|span|strong|ul"
PLACEHOLDER = re.compile(rf"%\(\w+\)[sd]|</?(?:{TAGS})\b[^>]*>|\{{\{{[^}}]*\}}\}}|\{{\w*\}}")
# What makemessages reads for the "django" domain (.html, .txt, .py); .js for a later djangojs one.
SOURCES = {".py", ".html", ".txt", ".js"}


@pytest.fixture(scope="module")
def catalogue() -> polib.POFile:
    return polib.pofile(str(CATALOGUE))


def test_gettext_compiles_the_catalogue(tmp_path):
    """msgfmt's own checks (polib reads what msgfmt refuses, e.g. a stray `#| msgid_plural`), so a
    catalogue that `make messages` could not compile never passes with a stale .mo."""
    require(shutil.which("msgfmt") is not None, "gettext's msgfmt (make gettext)")
    checked = subprocess.run(  # noqa: S603
        ["msgfmt", "--check", "-o", str(tmp_path / "django.mo"), str(CATALOGUE)],  # noqa: S607
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stderr


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


def makemessages_ignores() -> list[str]:
    """The folders `make makemessages` skips, read from its recipe so the list lives only there."""
    makefile = (BASE_DIR / "Makefile").read_text()
    recipe = re.search(r"^makemessages:.*\n\t(.*manage\.py makemessages.*)$", makefile, re.MULTILINE)
    assert recipe, "the Makefile has no `makemessages` target running manage.py makemessages"
    return re.findall(r"--ignore=(\S+)", recipe.group(1))


def ignored(name: str, patterns: list[str]) -> bool:
    return any(fnmatch(name, pattern) for pattern in patterns)


def copy_sources(destination: Path, ignores: list[str]) -> None:
    """The files makemessages reads, in their folders: makemessages writes into the nearest
    `locale` folder (here LOCALE_PATHS), so run in place it would rewrite the committed file."""
    for folder, subfolders, files in os.walk(BASE_DIR):
        subfolders[:] = [d for d in subfolders if not d.startswith(".") and not ignored(d, ignores)]
        for name in files:
            if Path(name).suffix in SOURCES and not ignored(name, ignores):
                source = Path(folder) / name
                target = destination / source.relative_to(BASE_DIR)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, target)


def test_every_interface_string_is_in_the_catalogue_and_translated(tmp_path, catalogue):
    """A string added to the code without `make makemessages` and its Spanish fails here."""
    gettext = all(shutil.which(tool) for tool in ("xgettext", "msguniq", "msgmerge"))
    require(gettext, "gettext (xgettext, msguniq, msgmerge: make gettext)")
    ignores = makemessages_ignores()
    copy_sources(tmp_path, ignores)
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    command = [sys.executable, "manage.py", "makemessages", "-l", "es", "--no-obsolete", "-v0"]
    result = subprocess.run(  # noqa: S603 (our python, our arguments)
        [*command, *(f"--ignore={pattern}" for pattern in ignores)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    fresh = polib.pofile(str(tmp_path / CATALOGUE.relative_to(BASE_DIR)))
    assert len(fresh) > 100, "makemessages found almost no strings in the copy"
    committed = {(entry.msgctxt, entry.msgid): entry for entry in catalogue if not entry.obsolete}
    stale = []
    for entry in fresh:
        known = committed.get((entry.msgctxt, entry.msgid))
        if known is None or known.msgid_plural != entry.msgid_plural:
            stale.append(f"missing: {entry.msgid!r}")
        elif "fuzzy" in known.flags or not known.translated():
            stale.append(f"untranslated: {entry.msgid!r}")
    assert not stale, (
        f"{len(stale)} msgid(s) of the code are not translated in {CATALOGUE.relative_to(BASE_DIR)}: "
        "run make makemessages and translate.\n" + "\n".join(stale)
    )

"""Locales named as LANGUAGES names them ("en", not "en-us"), and the Spanish locale.

Before there were languages, LANGUAGE_CODE was "en-us" and Wagtail's first migration named the one
Locale after it; Wagtail now looks the default locale up as "en". Pages keep their locale row, only
its code changes.
"""

from django.db import migrations


def forward(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    if not Locale.objects.filter(language_code="en").exists():
        Locale.objects.filter(language_code__in=["en-us", "en-US"]).update(language_code="en")
    Locale.objects.get_or_create(language_code="en")
    Locale.objects.get_or_create(language_code="es")


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0003_author_user"),
        ("wagtailcore", "0096_referenceindex_referenceindex_source_object_and_more"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]

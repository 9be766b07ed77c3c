# Existing topics and changes are in the default locale, each its own translation set.
from django.db import migrations
from wagtail.models import BootstrapTranslatableModel


class Migration(migrations.Migration):
    dependencies = [("changes", "0002_translatable_bootstrap"), ("blog", "0004_locale_codes")]

    operations = [BootstrapTranslatableModel("changes.Topic"), BootstrapTranslatableModel("changes.Change")]

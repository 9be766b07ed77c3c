from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BlogConfig(AppConfig):
    name = "blog"
    verbose_name = _("Blog")

    def ready(self):
        from wagtail.signals import copy_for_translation_done

        from . import purges, translation

        purges.connect()
        copy_for_translation_done.connect(
            translation.copied_for_translation, dispatch_uid="blog-translation-origin"
        )

from django.conf import settings
from django.core.checks import Error, register

from .annotation import MODES


@register()
def check_mode(app_configs, **kwargs) -> list[Error]:
    value = getattr(settings, "GLOSSARY_ANNOTATE", "first")
    if value not in MODES:
        return [
            Error(f"GLOSSARY_ANNOTATE must be one of {', '.join(MODES)}, not {value!r}.", id="glossary.E001")
        ]
    return []
